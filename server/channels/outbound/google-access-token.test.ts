import { createVerify, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useFakeCarrier } from './fake-carrier';
import { createGoogleTokenSource, readServiceAccountFile, RBM_SCOPE, type ServiceAccount } from './google-access-token';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const carrier = useFakeCarrier();
let account: ServiceAccount;
let clock = Date.UTC(2026, 10, 27, 9, 30);

beforeEach(() => {
  clock = Date.UTC(2026, 10, 27, 9, 30);
  account = {
    type: 'service_account',
    client_email: 'clarion-rbm@rbm-clarion.iam.gserviceaccount.com',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    private_key_id: 'key-1',
    token_uri: `${carrier.baseUrl}/token`,
  };
});

function decodeSegment(segment: string | undefined): unknown {
  return JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8'));
}

describe('createGoogleTokenSource', () => {
  it('exchanges an RS256 assertion Google can verify, and caches the token until near expiry', async () => {
    carrier.answer({ status: 200, json: { access_token: 'ya29.first', expires_in: 3599, token_type: 'Bearer' } });
    const token = createGoogleTokenSource(account, { timeoutMs: 5_000, now: () => clock });
    expect(await token()).toBe('ya29.first');

    const [request] = carrier.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/token' });
    const form = new URLSearchParams(request?.body);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const [header, claims, signature] = (form.get('assertion') ?? '').split('.');
    expect(decodeSegment(header)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'key-1' });
    const issuedAt = Math.floor(clock / 1000);
    expect(decodeSegment(claims)).toEqual({ iss: account.client_email, scope: RBM_SCOPE, aud: account.token_uri, iat: issuedAt, exp: issuedAt + 3600 });
    const verifier = createVerify('RSA-SHA256').update(`${header}.${claims}`);
    expect(verifier.verify(publicKey, Buffer.from(signature ?? '', 'base64url'))).toBe(true);

    clock += 30 * 60_000;
    expect(await token()).toBe('ya29.first');
    expect(carrier.requests).toHaveLength(1);

    carrier.answer({ status: 200, json: { access_token: 'ya29.second', expires_in: 3599, token_type: 'Bearer' } });
    clock += 29 * 60_000;
    expect(await token()).toBe('ya29.second');
    expect(carrier.requests).toHaveLength(2);
  });

  it('fails with a retryable error when the token endpoint is down', async () => {
    carrier.answer({ status: 503 });
    const token = createGoogleTokenSource(account, { timeoutMs: 5_000, now: () => clock });
    await expect(token()).rejects.toMatchObject({ name: 'AccessTokenError', retryable: true });
    carrier.answer({ status: 400, json: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } });
    await expect(token()).rejects.toMatchObject({ name: 'AccessTokenError', retryable: false });
  });
});

describe('readServiceAccountFile', () => {
  it('reads a key file and refuses one that is not a service-account key, without quoting it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'clarion-rbm-'));
    try {
      const good = join(folder, 'good.json');
      await writeFile(good, JSON.stringify({ ...account, project_id: 'rbm-clarion' }));
      expect(await readServiceAccountFile(good)).toMatchObject({ client_email: account.client_email });
      const bad = join(folder, 'bad.json');
      await writeFile(bad, JSON.stringify({ type: 'authorized_user', private_key: 'SECRET-MATERIAL' }));
      await expect(readServiceAccountFile(bad)).rejects.toThrow(/is not a service-account key/);
      await expect(readServiceAccountFile(bad)).rejects.not.toThrow(/SECRET-MATERIAL/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
