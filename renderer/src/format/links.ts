// Finds web addresses in patient text so the view can make each one a confirm-first button.
const WEB_ADDRESS = /\bhttps?:\/\/[^\s<>"']+/gi;

export interface TextPart {
  text: string;
  link: boolean;
}

export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(WEB_ADDRESS)) {
    const start = match.index;
    if (start > last) parts.push({ text: text.slice(last, start), link: false });
    parts.push({ text: match[0], link: true });
    last = start + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), link: false });
  return parts;
}
