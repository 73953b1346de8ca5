// The carrier webhooks against a real hub and its real SQLite store: invariant 1 end to end.
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Hub } from '../hub';
import { SQLITE_FILE_NAME } from '../store/open-store';
import { addStaff, connectDesk, LINES, startHub, stopHub } from '../testing/hub-harness';
import { loadCarrierConfig } from './carrier-config';

const AUTH_TOKEN = 'test-twilio-auth-token';
const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const PUBLIC_URL = 'https://clarion.example.nhs.uk';

/** Twilio's documented algorithm, written out here independently of the code under test. */
function twilioSignature(url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((text, key) => text + key + params[key], url);
  return createHmac('sha1', AUTH_TOKEN).update(Buffer.from(data, 'utf8')).digest('base64');
}

function smsParams(sid: string, body: string): Record<string, string> {
  return { MessageSid: sid, SmsSid: sid, AccountSid: ACCOUNT_SID, From: '+447700900456', To: LINES.martha, Body: body, NumMedia: '0', NumSegments: '1', ApiVersion: '2010-04-01' };
}

async function postTwilio(hub: Hub, params: Record<string, string>, signature = twilioSignature(`${PUBLIC_URL}/webhooks/twilio`, params)) {
  return fetch(`${hub.url}/webhooks/twilio`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
}

describe('Twilio webhook into a real hub', () => {
  let hub: Hub;

  beforeEach(async () => {
    hub = await startHub({
      carriers: loadCarrierConfig({ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: LINES.martha, CLARION_PUBLIC_URL: PUBLIC_URL }),
    });
    await addStaff(hub, 'sam', 'outreach');
  });
  afterEach(() => stopHub(hub));

  const messageCount = async () => (await hub.store.db.selectFrom('messages').select('id').execute()).length;

  it('stores a signed message before answering, streams it to the desk, and stores a retry storm once', async () => {
    const desk = await connectDesk(hub, 'sam');
    try {
      const params = smsParams('SM0123456789abcdef0123456789abcdef', 'Please come, my wife is very unwell');
      const responses = await Promise.all(Array.from({ length: 20 }, () => postTwilio(hub, params)));
      expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
      expect(await responses[0]!.text()).toContain('<Response/>');
      const event = await desk.waitFor((candidate) => candidate.type === 'case.opened');
      expect(event.message?.body).toBe('Please come, my wife is very unwell');
      expect(event.case.queueId).toBe('outreach');
      expect(await messageCount()).toBe(1);
    } finally {
      desk.close();
    }
  });

  it('refuses a missing or wrong signature and stores nothing', async () => {
    const params = smsParams('SM1123456789abcdef0123456789abcdef', 'forged');
    const unsigned = await fetch(`${hub.url}/webhooks/twilio`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
    expect(unsigned.status).toBe(400);
    const wrong = await postTwilio(hub, params, twilioSignature(`${PUBLIC_URL}/webhooks/twilio`, { ...params, Body: 'something else' }));
    expect(wrong.status).toBe(403);
    expect(await messageCount()).toBe(0);
  });

  it('answers 5xx when the store cannot commit, so Twilio retries — and the retry is stored once', async () => {
    // A real failure inside the real store: another connection makes every message insert abort.
    const saboteur = new Database(join(hub.config.dataDir, SQLITE_FILE_NAME));
    saboteur.exec("create trigger refuse_messages before insert on messages begin select raise(abort, 'disk is full'); end;");
    const params = smsParams('SM2123456789abcdef0123456789abcdef', 'Is anyone there?');
    const failed = await postTwilio(hub, params);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(await messageCount()).toBe(0);
    expect(await hub.store.db.selectFrom('cases').select('id').execute()).toEqual([]);

    saboteur.exec('drop trigger refuse_messages');
    saboteur.close();
    expect((await postTwilio(hub, params)).status).toBe(200);
    expect((await postTwilio(hub, params)).status).toBe(200);
    expect(await messageCount()).toBe(1);
  });
});
