// Each carrier's signature, written from its documentation rather than borrowed from the hub's
// verifiers: the simulator is a second, independent implementation, so a test passing through both
// proves the hub speaks the carrier's protocol, not merely that it agrees with itself.
import { createHmac } from 'node:crypto';

/**
 * X-Twilio-Signature: HMAC-SHA1 (auth token) over the full URL Twilio called, then each POST
 * parameter name+value in sorted name order, no separators; base64.
 */
export function twilioSignature(authToken: string, url: string, params: ReadonlyArray<readonly [string, string]>): string {
  const sorted = [...params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const data = sorted.reduce((text, [name, value]) => text + name + value, url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** X-Hub-Signature-256: `sha256=` + lowercase hex HMAC-SHA256 (app secret) over the raw body bytes. */
export function metaSignature(appSecret: string, rawBody: Buffer): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/** X-Goog-Signature: base64 HMAC-SHA512 (clientToken) over the decoded Pub/Sub `data` bytes. */
export function googleSignature(clientToken: string, data: Buffer): string {
  return createHmac('sha512', clientToken).update(data).digest('base64');
}

/**
 * Meta serialises its webhook JSON with every non-ASCII character as a \u escape (emoji become
 * surrogate pairs). Sending that exact form proves the hub checks the bytes it received rather than
 * a re-serialisation, which would differ.
 */
export function metaJson(value: unknown): Buffer {
  const text = JSON.stringify(value).replace(/[\u0080-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return Buffer.from(text, 'utf8');
}
