// Test support: a real hub on an ephemeral port over a temp SQLite file, with real socket.io clients logged in as
// real users. Nothing here is a double: it is the shortest honest path to "a desk connected to a hub".
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import type { Role } from '../../shared/domain';
import type { InboundMessage } from '../../shared/inbound';
import type { ClientToServerEvents, DeskEvent, LoginResponse, ServerToClientEvents } from '../../shared/protocol';
import { LoginResponseSchema } from '../../shared/protocol';
import { demoSiteConfig, type SiteConfig } from '../config/site-config';
import { createHub, type Hub, type HubOptions } from '../hub';

export type DeskClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export const LINES = { martha: '+447700900111', pals: '+447700900222', ward: '+447700900333' } as const;

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'clarion-test-'));
}

/**
 * The demo hospital without the automatic Martha's Rule first reply, so that a test which is not about that reply
 * counts only the events, messages and outbox rows it causes. The first reply itself is tested in
 * server/escalation/marthas-rule.test.ts; the CLI tests (durability) and the e2e suite run the demo as shipped.
 */
export function demoSiteWithoutFirstReply(): SiteConfig {
  const site = demoSiteConfig();
  return { ...site, policies: site.policies?.map((policy) => ({ ...policy, firstReply: false })) };
}

export async function startHub(options: HubOptions = {}): Promise<Hub> {
  return createHub({ host: '127.0.0.1', port: 0, logLevel: 'silent', dataDir: options.dataDir ?? tempDataDir(), site: demoSiteWithoutFirstReply(), ...options });
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export const TEST_PASSWORD = 'correct horse battery staple';

export async function addStaff(hub: Hub, username: string, role: Role, wards: string[] = []) {
  return hub.addUser({ username, displayName: username.replace(/^./, (letter) => letter.toUpperCase()), password: TEST_PASSWORD, role, wards });
}

export async function login(hub: Hub, username: string, password = TEST_PASSWORD): Promise<LoginResponse> {
  const response = await fetch(`${hub.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (response.status !== 200) throw new Error(`login ${username} → ${response.status} ${await response.text()}`);
  return LoginResponseSchema.parse(await response.json());
}

/** A connected desk that records every event it is sent. */
export interface TestDesk {
  socket: DeskClient;
  events: DeskEvent[];
  userId: string;
  /** Resolves when the desk holds an event matching the predicate (already held or yet to come). */
  waitFor(predicate: (event: DeskEvent) => boolean, timeoutMs?: number): Promise<DeskEvent>;
  close(): void;
}

/** The desks one test connects, closed together after it: pass the set to `stopHub` (or call `closeAll`) in afterEach. */
export class DeskSet {
  readonly open: TestDesk[] = [];

  constructor(private readonly hub: () => Hub) {}

  async connect(username: string): Promise<TestDesk> {
    const desk = await connectDesk(this.hub(), username);
    this.open.push(desk);
    return desk;
  }

  closeAll(): void {
    for (const desk of this.open.splice(0)) desk.close();
  }
}

/**
 * Ends a test hub: closes the desks, then the hub, then removes its data dir. Each step runs even when one before it
 * throws: a desk that fails to close still lets the hub close, and a hub that fails to close still has its dir removed
 * (the error still fails the test).
 */
export async function stopHub(hub: Hub, desks?: DeskSet): Promise<void> {
  try {
    desks?.closeAll();
  } finally {
    try {
      await hub.close();
    } finally {
      removeDir(hub.config.dataDir);
    }
  }
}

export async function connectDesk(hub: Hub, username: string, url = hub.url): Promise<TestDesk> {
  const session = await login(hub, username);
  const socket: DeskClient = connect(url, { auth: { token: session.token }, transports: ['websocket'], reconnection: false, forceNew: true });
  const events: DeskEvent[] = [];
  const waiters = new Set<() => void>();
  socket.on('events', (batch) => {
    events.push(...batch);
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  return {
    socket,
    events,
    userId: session.user.id,
    waitFor(predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(predicate);
          if (found === undefined) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${timeoutMs} ms (held ${events.length})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => socket.close(),
  };
}

export function inbound(from: string, to: string, text: string, extra: Partial<InboundMessage> = {}): InboundMessage {
  return { provider: 'dev', channel: 'sms', providerMessageId: `test-${randomUUID()}`, from, to, receivedAt: Date.now(), kind: 'text', text, ...extra };
}

export function commandId(): string {
  return randomUUID();
}
