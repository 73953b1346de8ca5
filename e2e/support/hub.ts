// A real hub on a temporary data dir and an ephemeral port, with helpers the desk tests share.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'socket.io';
import type { Role, UserView } from '../../shared/domain';
import type { InboundMessage } from '../../shared/inbound';
import { createHub, type HubOptions } from '../../server/hub';

export const LINES = { martha: '+447700900111', pals: '+447700900222', ward: '+447700900333' } as const;

type Hub = Awaited<ReturnType<typeof createHub>>;

/**
 * What a desk test may set on its hub beyond the defaults. Without `carriers` the hub reads them from the environment as
 * `npm start` does; with them, e.g. `fakeCarrierConfig` from server/outbox/fake-carrier-apis.ts, its outbox sends to
 * the fake carrier APIs, and `outbox: { autoStart: false }` leaves each send to `hub.outbox.runDue()`.
 */
export type TestHubOptions = Pick<HubOptions, 'carriers' | 'outbox'>;

export interface StaffMember {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  wards: string[];
}

export class TestHub {
  private constructor(
    public hub: Hub,
    readonly dataDir: string,
    private readonly ownsDataDir: boolean,
    private readonly options: TestHubOptions,
  ) {}

  static async start(dataDir?: string, options: TestHubOptions = {}): Promise<TestHub> {
    const directory = dataDir ?? mkdtempSync(join(tmpdir(), 'clarion-desk-'));
    const hub = await createHub({ ...options, dataDir: directory, host: '127.0.0.1', port: 0, logLevel: 'warn' });
    return new TestHub(hub, directory, dataDir === undefined, options);
  }

  get url(): string {
    return this.hub.url;
  }

  get port(): number {
    return Number(new URL(this.hub.url).port);
  }

  addUser(member: StaffMember): Promise<UserView> {
    return this.hub.addUser(member);
  }

  /** A patient message as a carrier would hand it to intake. */
  receive(from: string, to: string, text: string, contactName?: string): ReturnType<Hub['receive']> {
    const message: InboundMessage = {
      provider: 'dev',
      channel: 'sms',
      providerMessageId: `e2e-${randomUUID()}`,
      from,
      to,
      receivedAt: Date.now(),
      kind: 'text',
      text,
      ...(contactName ? { contactName } : {}),
    };
    return this.hub.receive(message);
  }

  /**
   * Holds the next `name` request any desk sends until `release()`; `reached` resolves when it arrives.
   * Lets a test put a desk deterministically in the middle of its catch-up, with the real hub.
   */
  holdNext(name: string): { reached: Promise<void>; release(): void } {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let signalReached: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => (signalReached = resolve));
    let armed = true;
    const intercept = (socket: Socket) =>
      socket.use(([event], next) => {
        if (!armed || event !== name) return next();
        armed = false;
        signalReached();
        void released.then(() => next());
      });
    for (const socket of this.hub.io.sockets.sockets.values()) intercept(socket);
    this.hub.io.on('connection', intercept);
    return { reached, release };
  }

  /** Stops the hub and starts a new one on the same data dir and port, as a crash-and-restart would. */
  async restart(betweenStopAndStart?: () => Promise<void>): Promise<void> {
    const port = this.port;
    await this.hub.close();
    if (betweenStopAndStart) await betweenStopAndStart();
    this.hub = await createHub({ ...this.options, dataDir: this.dataDir, host: '127.0.0.1', port, logLevel: 'warn' });
  }

  async stop(): Promise<void> {
    await this.hub.close();
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export const STAFF = {
  sam: { username: 'sam', password: 'correct horse battery', displayName: 'Sam Patel', role: 'outreach', wards: [] },
  alex: { username: 'alex', password: 'staple lamp river', displayName: 'Alex Morgan', role: 'outreach', wards: [] },
  nina: { username: 'nina', password: 'ward two nurse pass', displayName: 'Nina Okafor', role: 'ward_nurse', wards: ['W2'] },
} satisfies Record<string, StaffMember>;
