// OAuth access tokens for RBM from a Google service-account key (the JWT-bearer grant): an RS256
// assertion signed with node:crypto, exchanged at the key's token_uri, cached until near expiry.
// The simulator stands in for Google by writing its own token_uri into the key file it hands out.
import { createSign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { isRetryableStatus, requestCarrier } from './carrier-request';

export const RBM_SCOPE = 'https://www.googleapis.com/auth/rcsbusinessmessaging';

export const ServiceAccountSchema = z.looseObject({
  type: z.literal('service_account'),
  client_email: z.string().min(3),
  private_key: z.string().includes('PRIVATE KEY'),
  private_key_id: z.string().optional(),
  token_uri: z.url({ protocol: /^https?$/ }),
});
export type ServiceAccount = z.infer<typeof ServiceAccountSchema>;

/** Reads and checks the key file; the error names the file and the problem, never the key. */
export async function readServiceAccountFile(path: string): Promise<ServiceAccount> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new Error(`RBM service-account file ${path} could not be read as JSON`);
  }
  const parsed = ServiceAccountSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`RBM service-account file ${path} is not a service-account key: ${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}`);
  }
  return parsed.data;
}

function base64Url(input: string): string {
  return Buffer.from(input, 'utf8').toString('base64url');
}

export function signAssertion(account: ServiceAccount, scope: string, nowMs: number): string {
  const issuedAt = Math.floor(nowMs / 1000);
  const header = base64Url(JSON.stringify({ alg: 'RS256', typ: 'JWT', ...(account.private_key_id !== undefined ? { kid: account.private_key_id } : {}) }));
  const claims = base64Url(JSON.stringify({ iss: account.client_email, scope, aud: account.token_uri, iat: issuedAt, exp: issuedAt + 3600 }));
  const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(account.private_key).toString('base64url');
  return `${header}.${claims}.${signature}`;
}

const TokenAnswer = z.looseObject({ access_token: z.string().min(1), expires_in: z.number().int().positive() });

export class AccessTokenError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'AccessTokenError';
  }
}

/** Renew a minute early so a token never expires between fetching it and Google checking it. */
const RENEW_BEFORE_MS = 60_000;

export function createGoogleTokenSource(
  account: ServiceAccount,
  options: { timeoutMs: number; now: () => number; scope?: string },
): () => Promise<string> {
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const issuedAt = options.now();
    const response = await requestCarrier({
      method: 'POST',
      url: account.token_uri,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: signAssertion(account, options.scope ?? RBM_SCOPE, issuedAt),
      }).toString(),
      timeoutMs: options.timeoutMs,
    });
    if (response.kind === 'unreachable') throw new AccessTokenError(`token endpoint ${response.reason}`, true);
    const answer = TokenAnswer.safeParse(response.json);
    if (response.status !== 200 || !answer.success) {
      throw new AccessTokenError(`token endpoint answered HTTP ${response.status}`, isRetryableStatus(response.status));
    }
    cached = { token: answer.data.access_token, expiresAt: issuedAt + answer.data.expires_in * 1000 };
    return cached.token;
  }

  return async () => {
    if (cached !== undefined && options.now() < cached.expiresAt - RENEW_BEFORE_MS) return cached.token;
    // Concurrent senders share one exchange rather than each asking Google for a token.
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}
