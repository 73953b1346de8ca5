// Reading and writing the shell's small JSON files (settings, window state) without ever throwing:
// a damaged file on a ward PC must cost the user their preferences, never the app.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type JsonRead =
  | { kind: 'missing' }
  | { kind: 'parsed'; value: unknown }
  /** The file exists but is not JSON, or could not be read at all. */
  | { kind: 'unreadable'; reason: string };

export function readJsonFile(path: string): JsonRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (isErrorWithCode(error, 'ENOENT')) return { kind: 'missing' };
    return { kind: 'unreadable', reason: describeError(error) };
  }
  try {
    return { kind: 'parsed', value: JSON.parse(text) };
  } catch (error) {
    return { kind: 'unreadable', reason: `not valid JSON (${describeError(error)})` };
  }
}

/**
 * Writes through a temporary file and a rename, so a crash or power cut mid-write leaves either the
 * old file or the new one, never half of each (which the next start would have to discard).
 */
export function writeJsonFileAtomically(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, { encoding: 'utf8', mode: 0o600 });
  renameSync(temporary, path);
}

function isErrorWithCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
