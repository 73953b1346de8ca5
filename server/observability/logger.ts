// Structured logs, one line per event, with a component name. Patient text never goes in a log line.
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'clarion-hub' }, redact: ['password', '*.password', 'token', '*.token', 'body', '*.body', 'text', '*.text'] }, destination);
}
