// Desk stores wired exactly as in the browser (real socket.io-client transport, real HTTP login),
// pointed at a test hub. Used by the store tests next to the stores.
import { tmpdir } from 'node:os';
import { when } from 'mobx';
import { afterEach, beforeEach } from 'vitest';
import type { DesktopAlert } from '../../shared/bridge';
import { linkPlatform, type PlatformSurface } from '../../renderer/src/stores/platform-link';
import { RootStore } from '../../renderer/src/stores/root-store';
import type { SessionStorage } from '../../renderer/src/stores/session-store';
import { HttpLoginApi } from '../../renderer/src/transport/login-api';
import { SocketTransport } from '../../renderer/src/transport/socket-transport';
import type { RequestName, RequestPayload, RequestResult, Transport } from '../../renderer/src/transport/transport';
import { fakeCarrierConfig, startFakeCarrierApis, type FakeCarrierApis } from '../../server/outbox/fake-carrier-apis';
import { STAFF, TestHub, type TestHubOptions } from './hub';

export interface DeskStoreOptions {
  staleAfterMs?: number;
  storage?: SessionStorage;
  /** Puts something between the stores and the real transport (to hold an answer back, say). */
  wrapTransport?: (transport: Transport) => Transport;
  /** This "PC"'s own clock (a ward PC whose clock is wrong, say). */
  readClock?: () => number;
  /** How long after an alert-changing event the desk re-asks the hub's counts (RootStoreOptions). */
  alertCountsDebounceMs?: number;
}

/** sessionStorage as the browser keeps it, for tests of the restore path. */
export class MemoryStorage implements SessionStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

export function createDeskStore(url: string, options: DeskStoreOptions = {}): RootStore {
  const transport = new SocketTransport({ url, requestTimeoutMs: 5000 });
  return new RootStore({
    transport: options.wrapTransport === undefined ? transport : options.wrapTransport(transport),
    loginApi: new HttpLoginApi(url),
    storage: options.storage ?? null,
    ...(options.staleAfterMs === undefined ? {} : { staleAfterMs: options.staleAfterMs }),
    ...(options.readClock === undefined ? {} : { readClock: options.readClock }),
    ...(options.alertCountsDebounceMs === undefined ? {} : { alertCountsDebounceMs: options.alertCountsDebounceMs }),
  });
}

/** Waits for an observable condition; fails with `what` rather than hanging until the test timeout. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  try {
    await when(predicate, { timeout: timeoutMs });
  } catch {
    throw new Error(`timed out waiting for: ${what}`);
  }
}

export async function signedInDesk(url: string, username: string, password: string, options: Omit<DeskStoreOptions, 'storage'> = {}): Promise<RootStore> {
  return signIn(createDeskStore(url, options), username, password);
}

async function signIn(store: RootStore, username: string, password: string): Promise<RootStore> {
  if (!(await store.session.login(username, password))) throw new Error(`login failed for ${username}: ${store.session.loginError}`);
  await until(() => store.connection.state === 'live', `${username} live`);
  return store;
}

/**
 * Links the desk to a recording stand-in for the machine (as the app links it to the desktop bridge) and returns what
 * would have popped up on screen. Link before signing in, as the app does, so that anything notified is seen.
 * `withdrawn`, if given, receives the key of each notification the desk asks to take down, in order.
 */
export function recordNativeAlerts(store: RootStore, withdrawn: string[] = []): DesktopAlert[] {
  const shown: DesktopAlert[] = [];
  const ok = async () => ({ ok: true as const, value: null });
  const platform: PlatformSurface = {
    notify: (alert) => (shown.push(alert), ok()),
    withdraw: (key) => (withdrawn.push(key), ok()),
    setBadge: ok,
    setConnection: ok,
    flash: ok,
    onFocusCase: () => () => undefined,
  };
  linkPlatform(store, platform);
  return shown;
}

/** The desks one test signed in, disposed together after it. */
export class DeskPool {
  private readonly stores: RootStore[] = [];

  add(store: RootStore): RootStore {
    this.stores.push(store);
    return store;
  }

  async signIn(url: string, member: { username: string; password: string }, options: Omit<DeskStoreOptions, 'storage'> = {}): Promise<RootStore> {
    return this.add(await signedInDesk(url, member.username, member.password, options));
  }

  /**
   * Signs in with the machine's stand-in linked first, as the app does, so that anything notified is seen: the desk,
   * what popped up on screen and the keys of what the desk took down (recordNativeAlerts).
   */
  async signInLinked(url: string, member: { username: string; password: string }, options: Omit<DeskStoreOptions, 'storage'> = {}): Promise<{ desk: RootStore; shown: DesktopAlert[]; withdrawn: string[] }> {
    const desk = this.add(createDeskStore(url, options));
    const withdrawn: string[] = [];
    const shown = recordNativeAlerts(desk, withdrawn);
    await signIn(desk, member.username, member.password);
    return { desk, shown, withdrawn };
  }

  disposeAll(): void {
    for (const store of this.stores.splice(0)) store.dispose();
  }
}

/**
 * For a file of desk-store tests: a fresh hub before each test with every member of STAFF added, and a pool for the
 * desks the test signs in, disposed (then the hub stopped) after it. Read `.hub` inside tests and hooks.
 */
export function useStaffedHub(options?: TestHubOptions): { readonly hub: TestHub; readonly desks: DeskPool } {
  const staffed = staffedHubHooks(async () => options);
  return {
    desks: staffed.desks,
    get hub() {
      return staffed.hub();
    },
  };
}

/**
 * useStaffedHub, with the hub's Twilio (its only carrier) pointed at fake carrier APIs started fresh for each test, and
 * its outbox driven by hand (`runDue`), so a test says when each send happens. Read `.apis` inside tests and hooks.
 */
export function useStaffedHubOnFakeTwilio(): { readonly hub: TestHub; readonly desks: DeskPool; readonly apis: FakeCarrierApis } {
  let apis: FakeCarrierApis | undefined;
  const staffed = staffedHubHooks(
    async () => {
      apis = await startFakeCarrierApis();
      return { carriers: fakeCarrierConfig(apis, tmpdir(), ['twilio']), outbox: { autoStart: false } };
    },
    async () => {
      await apis?.close();
      apis = undefined;
    },
  );
  return {
    desks: staffed.desks,
    get hub() {
      return staffed.hub();
    },
    get apis() {
      if (apis === undefined) throw new Error('the fake carrier APIs start before each test: use them inside a test or a hook');
      return apis;
    },
  };
}

function staffedHubHooks(before: () => Promise<TestHubOptions | undefined>, after: () => Promise<void> = async () => {}): { desks: DeskPool; hub(): TestHub } {
  const desks = new DeskPool();
  let current: TestHub | undefined;
  beforeEach(async () => {
    current = await TestHub.start(undefined, await before());
    for (const member of Object.values(STAFF)) await current.addUser(member);
  });
  afterEach(async () => {
    desks.disposeAll();
    try {
      await current?.stop();
    } finally {
      current = undefined;
      await after();
    }
  });
  return {
    desks,
    hub() {
      if (current === undefined) throw new Error('the hub starts before each test: use it inside a test or a hook');
      return current;
    },
  };
}

/** Passes everything to the desk's real transport: a test's stand-in overrides only the part it holds back. */
export class ForwardingTransport implements Transport {
  constructor(protected readonly inner: Transport) {}

  get connected(): boolean {
    return this.inner.connected;
  }
  request<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<RequestResult<N>> {
    return this.inner.request(name, payload);
  }
  connect(token: string): void {
    this.inner.connect(token);
  }
  disconnect(): void {
    this.inner.disconnect();
  }
  onEvents(...args: Parameters<Transport['onEvents']>): ReturnType<Transport['onEvents']> {
    return this.inner.onEvents(...args);
  }
  onPresence(...args: Parameters<Transport['onPresence']>): ReturnType<Transport['onPresence']> {
    return this.inner.onPresence(...args);
  }
  onProtocolError(...args: Parameters<Transport['onProtocolError']>): ReturnType<Transport['onProtocolError']> {
    return this.inner.onProtocolError(...args);
  }
  onStatus(...args: Parameters<Transport['onStatus']>): ReturnType<Transport['onStatus']> {
    return this.inner.onStatus(...args);
  }
}

/**
 * The desk's real transport, except that the hub's answer to the next request of one name, once received, is handed to
 * the stores only on `release()`. Events keep flowing meanwhile: exactly what the desk sees when an event overtakes an
 * answer the hub computed before it (a delivery report before the reply's answer, an acknowledgement before the list
 * of alerts).
 */
export class AnswerGate extends ForwardingTransport {
  private gate: { name: RequestName; answered: (answer: unknown) => void; released: Promise<void> } | null = null;

  /** Arms the gate: `answered` resolves with the hub's answer once it has arrived and is being held. */
  holdNext(name: RequestName): { answered: Promise<unknown>; release: () => void } {
    let release: () => void = () => undefined;
    let answered: (answer: unknown) => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const arrived = new Promise<unknown>((resolve) => (answered = resolve));
    this.gate = { name, answered, released };
    return { answered: arrived, release };
  }

  override async request<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<RequestResult<N>> {
    const gate = this.gate?.name === name ? this.gate : null;
    if (gate !== null) this.gate = null;
    const answer = await this.inner.request(name, payload);
    if (gate !== null) {
      gate.answered(answer);
      await gate.released;
    }
    return answer;
  }
}
