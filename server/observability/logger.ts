// Structured logs, one line per event, with a component name. Patient text never goes in a log line.
import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Standard output is written asynchronously: a line is queued and the write happens off the caller's path, and lines
 * logged while a write is in flight go out together. Synchronous, every webhook's log line was a write(2) on the event
 * loop. pino flushes what is queued when the process exits, including after a fatal error.
 */
export function createLogger(level: string, destination: pino.DestinationStream = pino.destination({ dest: 1, sync: false })): Logger {
  return pino({ level, base: { service: 'clarion-hub' }, redact: ['password', '*.password', 'token', '*.token', 'body', '*.body', 'text', '*.text'] }, destination);
}
