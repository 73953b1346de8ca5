// Process entry for the `clarion` bin: turns errors into one readable line and an exit code.
import { z } from 'zod';
import { main, usage, UsageError } from './main';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) process.stderr.write(`clarion: ${error.message}\n${usage()}\n`);
    else if (error instanceof z.ZodError) process.stderr.write(`clarion: ${z.prettifyError(error)}\n`);
    else process.stderr.write(`clarion: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
