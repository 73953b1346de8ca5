// Desk stores wired exactly as in the browser (real socket.io-client transport, real HTTP login),
// pointed at a test hub. Used by the store tests next to the stores.
import { when } from 'mobx';
import { RootStore } from '../../renderer/src/stores/root-store';
import type { SessionStorage } from '../../renderer/src/stores/session-store';
import { HttpLoginApi } from '../../renderer/src/transport/login-api';
import { SocketTransport } from '../../renderer/src/transport/socket-transport';
import type { Transport } from '../../renderer/src/transport/transport';

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
  const store = createDeskStore(url, options);
  if (!(await store.session.login(username, password))) throw new Error(`login failed for ${username}: ${store.session.loginError}`);
  await until(() => store.connection.state === 'live', `${username} live`);
  return store;
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

  disposeAll(): void {
    for (const store of this.stores.splice(0)) store.dispose();
  }
}
