// Consent end to end: keywords arriving at a real hub, the answers going out through the outbox to the fake carrier
// APIs, staff replies refused, and the sender's own re-check at send time.
import { afterEach, describe, expect, it } from 'vitest';
import { LINES } from '../testing/hub-harness';
import { TWILIO_SEND } from '../outbox/fake-carrier-apis';
import { useFakeCarrierApis } from '../outbox/use-fake-carrier-apis';
import { startOutboundHub, type OutboundTestHub } from '../outbox/outbound-test-hub';
import { KEYWORD_ANSWERS } from './keyword-answers';

const WHATSAPP_SEND = /\/messages$/;
const whatsapp = { channel: 'whatsapp' as const, provider: 'whatsapp' as const };

const apis = useFakeCarrierApis();
let current: OutboundTestHub | undefined;

afterEach(async () => {
  await current?.close();
  current = undefined;
});

async function consents(test: OutboundTestHub) {
  return test.hub.store.db.selectFrom('consents').select(['channel', 'status', 'source']).orderBy('channel').execute();
}
async function auditActions(test: OutboundTestHub) {
  return (await test.hub.store.db.selectFrom('audit').select('action').orderBy('id').execute()).map((row) => row.action);
}

describe('consent keywords', () => {
  it('STOP on WhatsApp opts out of every channel, is answered once, and refuses replies on any channel', async () => {
    const test = (current = await startOutboundHub(apis, ['whatsapp', 'twilio']));
    const caseId = await test.patientWrites('Hello', whatsapp);
    // A reply queued before the STOP arrives: the sender must catch it at send time.
    expect(await test.reply(caseId, 'Hello, how can we help?')).toMatchObject({ ok: true });
    await test.patientWrites('Stop', whatsapp);

    const source = 'keyword STOP via whatsapp whatsapp';
    expect(await consents(test)).toEqual([
      { channel: 'rcs', status: 'opted_out', source },
      { channel: 'sms', status: 'opted_out', source },
      { channel: 'whatsapp', status: 'opted_out', source },
    ]);
    const changed = await test.desk.waitFor((event) => event.type === 'consent.changed');
    expect(changed.message?.body).toBe(KEYWORD_ANSWERS.STOP);
    expect(await auditActions(test)).toContain('consent.opted_out');

    await test.hub.outbox.runDue();
    const sent = apis.callsTo(WHATSAPP_SEND, 'POST').map((call) => JSON.parse(call.body) as { text?: { body?: string } });
    // Only the confirmation went out; the earlier staff reply was stopped at send time and says why.
    expect(sent.map((body) => body.text?.body)).toEqual([KEYWORD_ANSWERS.STOP]);
    expect(apis.callsTo(TWILIO_SEND)).toHaveLength(0);
    const messages = await test.messages(caseId);
    expect(messages.find((message) => message.body === 'Hello, how can we help?')).toMatchObject({
      delivery_state: 'failed',
      delivery_error: expect.stringContaining('the contact has opted out of whatsapp'),
    });

    // A repeat STOP changes nothing and is not answered again.
    await test.patientWrites('STOP', whatsapp);
    const outboxRows = await test.hub.store.db.selectFrom('outbox').select('kind').execute();
    expect(outboxRows.filter((row) => row.kind === 'keyword_answer')).toHaveLength(1);
    expect(test.desk.events.filter((event) => event.type === 'consent.changed')).toHaveLength(1);

    // Staff cannot reply, on WhatsApp or after the conversation moves to SMS: a clear refusal, and nothing written.
    for (const channel of ['whatsapp', 'sms'] as const) {
      if (channel === 'sms') await test.patientWrites('texting now instead', { channel: 'sms' }, LINES.martha);
      expect((await test.hub.store.db.selectFrom('cases').select('channel').where('id', '=', caseId).executeTakeFirstOrThrow()).channel).toBe(channel);
      const before = await test.hub.store.db.selectFrom('outbox').select('id').execute();
      const refused = await test.reply(caseId, 'Are you still there?');
      expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('opted out') } });
      expect(await test.hub.store.db.selectFrom('outbox').select('id').execute()).toHaveLength(before.length);
    }
  });

  it('START opts back in on every channel and replies may be sent again', async () => {
    const test = (current = await startOutboundHub(apis, ['whatsapp']));
    const caseId = await test.patientWrites('STOP', whatsapp);
    await test.patientWrites('start', whatsapp);
    expect((await consents(test)).map((row) => row.status)).toEqual(['opted_in', 'opted_in', 'opted_in']);
    expect(await auditActions(test)).toEqual(expect.arrayContaining(['consent.opted_out', 'consent.opted_in']));
    expect(await test.reply(caseId, 'Welcome back.')).toMatchObject({ ok: true });
    await test.hub.outbox.runDue();
    const bodies = apis.callsTo(WHATSAPP_SEND).map((call) => (JSON.parse(call.body) as { text?: { body?: string } }).text?.body);
    expect(bodies).toEqual([KEYWORD_ANSWERS.STOP, KEYWORD_ANSWERS.START, 'Welcome back.']);
  });

  it('YES from a contact who never opted out is an answer, not a consent change', async () => {
    const test = (current = await startOutboundHub(apis, ['twilio']));
    const caseId = await test.patientWrites('Is my appointment on?');
    await test.reply(caseId, 'Reply YES to confirm, or NO to reschedule.', 'appointment_confirm');
    await test.patientWrites('YES', { keyword: 'START' });
    expect(await consents(test)).toEqual([]);
    expect((await test.messages(caseId)).at(-1)).toMatchObject({ body: 'YES', intent: 'answer:confirm' });
  });

  it('HELP is answered by Clarion on WhatsApp; on Twilio SMS the carrier answers and Clarion records the STOP only', async () => {
    let test = (current = await startOutboundHub(apis, ['whatsapp', 'twilio']));
    await test.patientWrites('help', whatsapp);
    await test.hub.outbox.runDue();
    expect(apis.callsTo(WHATSAPP_SEND).map((call) => (JSON.parse(call.body) as { text?: { body?: string } }).text?.body)).toEqual([KEYWORD_ANSWERS.HELP]);
    expect(await consents(test)).toEqual([]);
    await test.close();

    test = current = await startOutboundHub(apis, ['twilio']);
    await test.patientWrites('HELP', { provider: 'twilio' });
    await test.patientWrites('STOP', { provider: 'twilio' });
    await test.hub.outbox.runDue();
    expect(apis.callsTo(TWILIO_SEND)).toHaveLength(0);
    expect((await consents(test)).map((row) => row.status)).toEqual(['opted_out', 'opted_out', 'opted_out']);
    expect(await test.hub.store.db.selectFrom('outbox').select('id').execute()).toEqual([]);
  });
});
