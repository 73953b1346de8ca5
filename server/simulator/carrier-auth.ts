// How each carrier's API authenticates the hub, checked the way the carrier checks it, so a hub that
// sends a wrong credential is refused here exactly as it would be in production.
import { createHmac, createPublicKey, createVerify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { constantTimeEqualText } from '../channels/constant-time';

/** Twilio: HTTP Basic with the Account SID and Auth Token. */
export function twilioBasicOk(header: string | undefined, accountSid: string, authToken: string): boolean {
  const match = header === undefined ? null : /^Basic\s+([A-Za-z0-9+/=]+)$/.exec(header);
  if (match === null || match[1] === undefined) return false;
  return constantTimeEqualText(Buffer.from(match[1], 'base64').toString('utf8'), `${accountSid}:${authToken}`);
}

export function bearer(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer\s+(\S+)$/.exec(header);
  return match?.[1];
}

const NotifyClaims = z.object({ iss: z.string(), iat: z.number().int() });

/** Notify: an HS256 JWT signed with the key's secret, `iss` the service id, `iat` within 30 s of now. */
export function notifyJwtOk(header: string | undefined, serviceId: string, secret: string, nowMs: number): 'ok' | 'bad_signature' | 'expired' | 'missing' {
  const token = bearer(header);
  if (token === undefined) return 'missing';
  const [head = '', body = '', signature = ''] = token.split('.');
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  if (!constantTimeEqualText(signature, expected)) return 'bad_signature';
  let claims: z.infer<typeof NotifyClaims>;
  try {
    claims = NotifyClaims.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    return 'bad_signature';
  }
  if (!constantTimeEqualText(claims.iss, serviceId)) return 'bad_signature';
  return Math.abs(claims.iat * 1000 - nowMs) <= 30_000 ? 'ok' : 'expired';
}

const AssertionClaims = z.object({ iss: z.string(), scope: z.string(), aud: z.string(), iat: z.number().int(), exp: z.number().int() });

/** The RBM service account the simulator issued, whose public half checks the hub's JWT-bearer assertions. */
export interface GoogleAccount {
  clientEmail: string;
  publicKey: KeyObject;
  tokenUri: string;
}

export function googleAccountFromKey(input: { client_email: string; private_key: string; token_uri: string }): GoogleAccount {
  return { clientEmail: input.client_email, publicKey: createPublicKey(input.private_key), tokenUri: input.token_uri };
}

/** Google's token endpoint: RS256 over header.claims by the account's key, for our audience, not expired. */
export function googleAssertionOk(assertion: string, account: GoogleAccount, nowMs: number): boolean {
  const [head = '', body = '', signature = ''] = assertion.split('.');
  const verifier = createVerify('RSA-SHA256').update(`${head}.${body}`);
  if (!verifier.verify(account.publicKey, Buffer.from(signature, 'base64url'))) return false;
  try {
    const claims = AssertionClaims.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    const now = Math.floor(nowMs / 1000);
    return claims.iss === account.clientEmail && claims.aud === account.tokenUri && claims.scope.includes('rcsbusinessmessaging') && claims.iat <= now + 60 && claims.exp > now;
  } catch {
    return false;
  }
}
