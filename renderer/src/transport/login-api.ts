// Staff login over HTTP (the socket handshake needs the token this returns).
import { LoginResponseSchema, type LoginResponse } from '../../../shared/protocol';

export type LoginFailure = 'invalid_credentials' | 'throttled' | 'unavailable';

export class LoginError extends Error {
  constructor(readonly failure: LoginFailure) {
    super(failure);
    this.name = 'LoginError';
  }
}

export interface LoginApi {
  login(username: string, password: string): Promise<LoginResponse>;
}

export class HttpLoginApi implements LoginApi {
  /** @param baseUrl hub origin; empty for the page's own origin */
  constructor(private readonly baseUrl = '') {}

  async login(username: string, password: string): Promise<LoginResponse> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
    } catch {
      throw new LoginError('unavailable');
    }
    if (response.status === 401 || response.status === 400) throw new LoginError('invalid_credentials');
    if (response.status === 429) throw new LoginError('throttled');
    if (!response.ok) throw new LoginError('unavailable');
    const parsed = LoginResponseSchema.safeParse(await response.json());
    if (!parsed.success) throw new LoginError('unavailable');
    return parsed.data;
  }
}
