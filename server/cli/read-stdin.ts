// Reads a secret from standard input: the first line, without its line ending. Piped or typed, never an argument
// (arguments show up in `ps` and shell history).
export async function readFirstLine(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    const end = text.search(/\r?\n/);
    if (end >= 0) return text.slice(0, end);
  }
  return text;
}
