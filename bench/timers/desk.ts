// The desk that bench/timers measures lateness at: a real socket.io client in its own process, as a desk is on its
// own machine, so decoding the alerts costs the hub nothing. It notes when each case's escalation arrives.
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { io as connect, type Socket } from 'socket.io-client';
import { preciseNow } from '../ingest/protocol';
import { DeskCommandSchema, type DeskReply } from './protocol';

let socket: Socket | undefined;
const escalations: [string, number][] = [];
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();

function send(reply: DeskReply): void {
  process.send?.(reply);
}

function onEvents(batch: unknown): void {
  const receivedAt = preciseNow();
  if (!Array.isArray(batch)) return;
  for (const event of batch as { type?: unknown; case?: { id?: unknown } }[]) {
    if (event.type === 'alert.escalated' && typeof event.case?.id === 'string') escalations.push([event.case.id, receivedAt]);
  }
}

async function connectAndGoOnShift(url: string, token: string): Promise<void> {
  const desk = connect(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  socket = desk;
  desk.on('events', onEvents);
  await new Promise<void>((resolve, reject) => {
    desk.once('connect', resolve);
    desk.once('connect_error', reject);
  });
  await new Promise((resolve) => desk.emit('shift:set', { commandId: randomUUID(), onShift: true }, resolve));
}

process.on('message', (raw: unknown) => {
  const parsed = DeskCommandSchema.safeParse(raw);
  if (!parsed.success) return send({ type: 'error', message: 'bad command' });
  const command = parsed.data;
  switch (command.type) {
    case 'connect':
      connectAndGoOnShift(command.url, command.token).then(
        () => send({ type: 'ready' }),
        (error: unknown) => send({ type: 'error', message: error instanceof Error ? error.message : 'connect failed' }),
      );
      return;
    case 'reset':
      loopDelay.reset();
      return send({ type: 'ready' });
    case 'report':
      return send({ type: 'report', escalations, loopDelay: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 } });
    case 'close':
      socket?.close();
      process.disconnect?.();
      return;
    default: {
      const unexpected: never = command;
      throw new Error(`unknown command ${JSON.stringify(unexpected)}`);
    }
  }
});
