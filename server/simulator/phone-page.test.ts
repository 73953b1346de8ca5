// The development wiring on a real hub: simulator secrets read from the data dir only in development,
// and the phone page served with its own strict CSP.
import { afterEach, describe, expect, it } from 'vitest';
import type { Hub } from '../hub';
import { startHub, stopHub, tempDataDir } from '../testing/hub-harness';
import { writeDevCarriers } from './dev-carriers';

let hub: Hub | undefined;
afterEach(async () => {
  if (hub !== undefined) await stopHub(hub);
  hub = undefined;
});

async function handshake(url: string, token: string): Promise<number> {
  const query = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': 'c-1' });
  return (await fetch(`${url}/webhooks/whatsapp?${query.toString()}`)).status;
}

describe('development mode with `clarion simulate` secrets in the data dir', () => {
  it('enables the carriers from the file and serves /dev/phone allowing only the simulator as an extra origin', async () => {
    const dataDir = tempDataDir();
    const file = writeDevCarriers({ dataDir, publicUrl: 'http://127.0.0.1:4610', simulatorUrl: 'http://127.0.0.1:4611' });
    hub = await startHub({ dataDir, mode: 'development' });
    expect(hub.carriers.whatsapp.enabled && hub.carriers.rbm.enabled && hub.carriers.notify.enabled && hub.carriers.twilio.enabled).toBe(true);
    expect(await handshake(hub.url, file.env.WHATSAPP_VERIFY_TOKEN ?? '')).toBe(200);

    const page = await fetch(`${hub.url}/dev/phone`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:4611");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await page.text()).toContain('data-simulator="http://127.0.0.1:4611"');
    const script = await fetch(`${hub.url}/dev/phone/phone.js`);
    expect(await script.text()).not.toContain('innerHTML');
  });

  it('ignores the file in production: carriers stay disabled and there is no phone page', async () => {
    const dataDir = tempDataDir();
    const file = writeDevCarriers({ dataDir, publicUrl: 'http://127.0.0.1:4610', simulatorUrl: 'http://127.0.0.1:4611' });
    const saved = { ...process.env };
    try {
      // Nothing from the environment either, so what is enabled could only have come from the file.
      for (const name of Object.keys(file.env)) delete process.env[name];
      hub = await startHub({ dataDir, mode: 'production' });
    } finally {
      Object.assign(process.env, saved);
    }
    expect(hub.carriers.whatsapp.enabled).toBe(false);
    expect(await handshake(hub.url, file.env.WHATSAPP_VERIFY_TOKEN ?? '')).toBe(404);
    expect((await fetch(`${hub.url}/dev/phone`)).status).toBe(404);
  });
});
