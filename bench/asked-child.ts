// A bench's helper process (the desks), asked one thing at a time over IPC. It answers every command in turn, so
// replies are matched to commands by order; each is parsed on arrival, like any input that crosses a boundary.
import { fork, type ChildProcess } from 'node:child_process';
import type { z } from 'zod';

/** What a helper may answer to any command: it could not do it, and why. */
interface ErrorReply {
  type: 'error';
  message: string;
}

export class AskedChild<Command extends { type: string }, Reply extends { type: string }> {
  private readonly child: ChildProcess;
  private readonly waiting: ((reply: Reply) => void)[] = [];

  /** Runs `script` (TypeScript, through tsx) with an IPC channel; its output goes to the bench's. */
  constructor(script: string, replySchema: z.ZodType<Reply>) {
    this.child = fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (raw) => this.waiting.shift()?.(replySchema.parse(raw)));
  }

  /** Resolves with the reply to `command`, or rejects with the helper's error reply. */
  ask(command: Command): Promise<Exclude<Reply, ErrorReply>> {
    return new Promise((resolve, reject) => {
      this.waiting.push((reply) => (isError(reply) ? reject(new Error(reply.message)) : resolve(reply as Exclude<Reply, ErrorReply>)));
      this.child.send(command);
    });
  }

  /** Sends `command` (which tells the helper to finish) and waits for it to exit; one that lingers is terminated. */
  async close(command: Command, graceMs = 5_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send(command);
    const lingering = setTimeout(() => this.child.kill('SIGTERM'), graceMs);
    await exited;
    clearTimeout(lingering);
  }
}

function isError(reply: { type: string }): reply is ErrorReply {
  return reply.type === 'error' && typeof (reply as Partial<ErrorReply>).message === 'string';
}
