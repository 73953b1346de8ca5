// `clarion simulate` as a user runs it: real CLI processes, a real hub process reading the secrets the
// simulator generated into its data dir, and a real desk socket watching the scenario arrive.
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskEvent } from '../shared/protocol';
import { kill, runClarion, spawnHub, type HubProcess } from '../server/testing/hub-process';
import { removeDir, tempDataDir } from '../server/testing/hub-harness';
import { DEV_CARRIERS_FILE } from '../server/simulator/dev-carriers';

const PASSWORD = 'simulator e2e password';
const DEVELOPMENT = { NODE_ENV: 'development' };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

let dataDir: string;
let simulatorPort: number;
let hub: HubProcess;
let desk: Socket;
const events: DeskEvent[] = [];

beforeAll(async () => {
  dataDir = tempDataDir();
  simulatorPort = await freePort();
  const init = await runClarion(['simulate', 'init', '--data', dataDir, '--port', String(simulatorPort), '--hub', 'http://127.0.0.1:4610'], '', DEVELOPMENT);
  expect(init.code, init.stderr).toBe(0);
  expect(existsSync(join(dataDir, DEV_CARRIERS_FILE))).toBe(true);
  expect((await runClarion(['user', 'add', 'sam', '--role', 'outreach', '--data', dataDir], `${PASSWORD}\n`, DEVELOPMENT)).code).toBe(0);
  hub = await spawnHub(dataDir, DEVELOPMENT);
  const login = await fetch(`${hub.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sam', password: PASSWORD }) });
  const { token } = (await login.json()) as { token: string };
  desk = connect(hub.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  desk.on('events', (batch: DeskEvent[]) => events.push(...batch));
  await new Promise<void>((resolve, reject) => {
    desk.once('connect', () => resolve());
    desk.once('connect_error', reject);
  });
});

afterAll(async () => {
  desk?.close();
  if (hub !== undefined) await kill(hub, 'SIGTERM');
  removeDir(dataDir);
});

async function eventually<T>(find: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error('not seen in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('clarion simulate', () => {
  it('the hub started on the data dir enables every carrier from the generated secrets', () => {
    for (const carrier of ['twilio', 'whatsapp', 'rbm', 'notify']) expect(hub.output()).toMatch(new RegExp(`${carrier}:\\s+enabled`));
  });

  it("martha-whatsapp: the CLI's signed webhooks reach the outreach desk, delivered twice and answered 200 both times", async () => {
    const run = await runClarion(['simulate', 'martha-whatsapp', '--data', dataDir, '--port', String(simulatorPort), '--hub', hub.url], '', DEVELOPMENT);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('hub answered 200, 200');
    const opened = await eventually(() => events.find((event) => event.type === 'case.opened' && event.case.channel === 'whatsapp'));
    expect(opened.case.queueId).toBe('outreach');
    expect(opened.message?.body).toContain("Martha's Rule review");
  });

  it('refuses to run in production and writes no secrets', async () => {
    const elsewhere = tempDataDir();
    try {
      const run = await runClarion(['simulate', 'init', '--data', elsewhere], '', { NODE_ENV: 'production' });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('NODE_ENV=production');
      expect(existsSync(join(elsewhere, DEV_CARRIERS_FILE))).toBe(false);
    } finally {
      removeDir(elsewhere);
    }
  });

  it('says so, and fails, when the hub does not hold the secrets of the data dir it was given', async () => {
    const elsewhere = tempDataDir();
    try {
      const run = await runClarion(['simulate', 'appointment-sms', '--data', elsewhere, '--port', String(await freePort()), '--hub', hub.url], '', DEVELOPMENT);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('does not hold this data dir');
    } finally {
      removeDir(elsewhere);
    }
  });
});
