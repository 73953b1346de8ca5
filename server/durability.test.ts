// Invariant 1 and 2 across a crash: whatever the hub answered before SIGKILL is in the store after restart.
import { afterEach, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { BootstrapResultSchema, CommandResultSchema, LoginResponseSchema, type CommandResult } from '../shared/protocol';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/protocol';
import type { Socket } from 'socket.io-client';
import { kill, runClarion, spawnHub, type HubProcess } from './testing/hub-process';
import { removeDir, tempDataDir, LINES } from './testing/hub-harness';

const PASSWORD = 'a long enough password';

async function desk(url: string) {
  const response = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sam', password: PASSWORD }) });
  const { token } = LoginResponseSchema.parse(await response.json());
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

describe('a hub killed with SIGKILL after answering', () => {
  const dataDir = tempDataDir();
  let hub: HubProcess | undefined;

  afterEach(async () => {
    if (hub !== undefined) await kill(hub);
    removeDir(dataDir);
  });

  it('has every answered change after restart', async () => {
    const added = await runClarion(['user', 'add', 'sam', '--role', 'outreach', '--name', 'Sam Patel', '--data', dataDir], `${PASSWORD}\n`);
    expect(added).toMatchObject({ code: 0 });
    hub = await spawnHub(dataDir);
    const socket = await desk(hub.url);

    // Fire inbound webhooks and commands concurrently, and remember only what the hub answered.
    const answeredMessages: string[] = [];
    const answeredAcks: CommandResult[] = [];
    const posts = Array.from({ length: 40 }, async (_, index) => {
      const response = await fetch(`${hub!.url}/dev/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: `+4477009007${String(index).padStart(2, '0')}`, to: LINES.martha, text: `call ${index}`, providerMessageId: `crash-${index}` }),
      });
      expect(response.status).toBe(201);
      const { caseId } = (await response.json()) as { caseId: string };
      answeredMessages.push(caseId);
      const result = CommandResultSchema.parse(
        await new Promise((resolve) => socket.emit('acknowledge', { commandId: crypto.randomUUID(), caseId, version: 1 }, resolve)),
      );
      answeredAcks.push(result);
    });
    await Promise.all(posts);
    socket.close();
    await kill(hub);

    hub = await spawnHub(dataDir);
    const after = await desk(hub.url);
    const boot = BootstrapResultSchema.parse(await new Promise((resolve) => after.emit('bootstrap', {}, resolve)));
    after.close();
    if (!boot.ok) throw new Error(boot.error.message);
    const byId = new Map(boot.cases.map((view) => [view.id, view]));
    for (const caseId of answeredMessages) expect(byId.has(caseId)).toBe(true);
    for (const result of answeredAcks) {
      expect(result.ok).toBe(true);
      if (result.ok) expect(byId.get(result.case.id)).toMatchObject({ status: 'acknowledged', version: result.case.version });
    }
    // 40 calls opened, each with its automatic first reply queued in the same transaction, and 40 acknowledged: 120
    // events, numbered 1..120 with no gap.
    expect(boot.seq).toBe(120);

    // A carrier retry of one of them after the crash is recognised, not stored twice.
    const retry = await fetch(`${hub.url}/dev/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '+447700900700', to: LINES.martha, text: 'call 0', providerMessageId: 'crash-0' }),
    });
    expect(retry.status).toBe(200);
    // One user created, two logins, 40 calls opened, 40 first replies, 40 acknowledged: 123 audit rows, chained and
    // intact.
    const verified = await runClarion(['audit', 'verify', '--data', dataDir], '');
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.stdout).toMatch(/audit chain intact: 123 rows/);
  });
});
