// Who is signed in. The token lives in sessionStorage (per tab, gone with the window) rather than
// localStorage, because ward PCs are shared and a closed desk should not stay signed in.
import { makeAutoObservable, runInAction } from 'mobx';
import type { UserView } from '../../../shared/domain';
import { LoginResponseSchema } from '../../../shared/protocol';
import { LoginError, type LoginFailure } from '../transport/login-api';
import type { RootStore } from './root-store';

const STORAGE_KEY = 'clarion.session';

export type SessionStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function loginFailureWords(failure: LoginFailure): string {
  switch (failure) {
    case 'invalid_credentials': return 'That username and password do not match. Check them and try again.';
    case 'throttled': return 'Too many attempts. Wait a minute before trying again.';
    case 'unavailable': return 'The hub cannot be reached. Check the network, or ask IT if it persists.';
  }
}

export class SessionStore {
  token: string | null = null;
  expiresAt: number | null = null;
  user: UserView | null = null;
  signingIn = false;
  loginError: string | null = null;

  constructor(
    private readonly root: RootStore,
    private readonly storage: SessionStorage | null,
  ) {
    makeAutoObservable<this, 'root' | 'storage'>(this, { root: false, storage: false }, { autoBind: true });
  }

  get signedIn(): boolean {
    return this.token !== null;
  }

  async login(username: string, password: string): Promise<boolean> {
    this.signingIn = true;
    this.loginError = null;
    try {
      const response = await this.root.loginApi.login(username, password);
      runInAction(() => {
        this.signingIn = false;
        this.adopt(response.token, response.expiresAt, response.user);
        this.storage?.setItem(STORAGE_KEY, JSON.stringify(response));
      });
      return true;
    } catch (error) {
      runInAction(() => {
        this.signingIn = false;
        this.loginError = loginFailureWords(error instanceof LoginError ? error.failure : 'unavailable');
      });
      return false;
    }
  }

  /** Resume the tab's session after a reload, if it has not expired. */
  restore(): boolean {
    const saved = this.storage?.getItem(STORAGE_KEY);
    if (!saved) return false;
    let candidate: unknown;
    try {
      candidate = JSON.parse(saved);
    } catch {
      candidate = null;
    }
    const parsed = LoginResponseSchema.safeParse(candidate);
    if (!parsed.success || parsed.data.expiresAt <= this.root.clock.now) {
      this.storage?.removeItem(STORAGE_KEY);
      return false;
    }
    this.adopt(parsed.data.token, parsed.data.expiresAt, parsed.data.user);
    return true;
  }

  /** The bootstrap's view of the user is the current one (wards may have changed since login). */
  updateUser(user: UserView): void {
    this.user = user;
  }

  logout(reason: string | null = null): void {
    this.storage?.removeItem(STORAGE_KEY);
    this.token = null;
    this.expiresAt = null;
    this.user = null;
    this.root.stopSession();
    this.loginError = reason;
  }

  private adopt(token: string, expiresAt: number, user: UserView): void {
    this.token = token;
    this.expiresAt = expiresAt;
    this.user = user;
    this.root.startSession(token);
  }
}
