// The desks: N real socket.io clients in their own process (so their CPU is not the server's), each
// counting the events it receives. A message counts as delivered when the last desk has it.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { io as connect, type Socket } from 'socket.io-client';
import { BENCH_ID, DeskCommandSchema, preciseNow, type DeskReply } from './protocol';

let sockets: Socket[] = [];
let expected = 0;
const counts = new Map<number, number>();
let completed: [number, number][] = [];
let cpuAtReset = process.cpuUsage();
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();

function send(reply: DeskReply): void {
  process.send?.(reply);
}

/**
 * The message text an event carries: the hub's events hold it in `message.body`, the raw pipeline's in `body`.
 * Read where it is rather than re-serialising every event: this process shares the machine with the server under
 * test, and re-serialising cost it more for the hub's larger events than for the raw pipeline's.
 */
function messageTextOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { message, body } = payload as { message?: unknown; body?: unknown };
  if (typeof body === 'string') return body;
  if (typeof message !== 'object' || message === null) return undefined;
  const text = (message as { body?: unknown }).body;
  return typeof text === 'string' ? text : undefined;
}

function onEvent(payload: unknown): void {
  // Read only what the bench needs; a real desk parses the whole event, which JSON.parse already did.
  const text = messageTextOf(payload)?.match(BENCH_ID);
  if (text === undefined || text === null || text[1] === undefined) return;
  const id = Number(text[1]);
  const count = (counts.get(id) ?? 0) + 1;
  if (count === expected) {
    completed.push([id, preciseNow()]);
    counts.delete(id);
  } else counts.set(id, count);
}

async function connectAll(url: string, token: string | undefined, desks: number): Promise<number> {
  const started = preciseNow();
  expected = desks;
  sockets = await Promise.all(
    Array.from(
      { length: desks },
      () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...(token !== undefined ? { auth: { token } } : {}) });
          // The raw pipeline pushes `event` (one message each); the hub pushes `events` (one commit's worth).
          socket.on('event', onEvent);
          socket.on('events', (batch: unknown) => {
            if (Array.isArray(batch)) for (const event of batch) onEvent(event);
          });
          socket.once('connect', () => resolve(socket));
          socket.once('connect_error', reject);
        }),
    ),
  );
  return preciseNow() - started;
}

process.on('message', (raw: unknown) => {
  const parsed = DeskCommandSchema.safeParse(raw);
  if (!parsed.success) return send({ type: 'error', message: 'bad command' });
  const command = parsed.data;
  switch (command.type) {
    case 'connect':
      connectAll(command.url, command.token, command.desks).then(
        (connectMs) => send({ type: 'connected', desks: sockets.length, connectMs }),
        (error: unknown) => send({ type: 'error', message: error instanceof Error ? error.message : 'connect failed' }),
      );
      return;
    case 'reset':
      counts.clear();
      completed = [];
      cpuAtReset = process.cpuUsage();
      loopDelay.reset();
      return send({ type: 'reset' });
    case 'report': {
      const cpu = process.cpuUsage(cpuAtReset);
      const delay = { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
      return send({ type: 'report', completed, partial: counts.size, cpuMs: (cpu.user + cpu.system) / 1000, loopDelay: delay });
    }
    case 'close':
      for (const socket of sockets) socket.close();
      sockets = [];
      process.disconnect?.();
      return;
    default: {
      const unexpected: never = command;
      throw new Error(`unknown command ${JSON.stringify(unexpected)}`);
    }
  }
});
