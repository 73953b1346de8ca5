// A patient taps Unsubscribe (or Subscribe again) in Google Messages. Google posts RBM's UNSUBSCRIBE / SUBSCRIBE user
// event to the hub's webhook, signed as the real adapter expects (the simulator builds it as Google's guide shows it);
// the hub must record the change for RCS alone, audited, send nothing on RCS, and let the next staff reply go by SMS.
// A real hub on 127.0.0.1, real SQLite, the simulator as Google and Twilio.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseProfileResult, CommandResult } from '../../shared/protocol';
import { ManualClock } from '../clock';
import { verifyAuditChain } from '../store/audit-log';
import { addStaff, commandId, connectDesk, type TestDesk } from '../testing/hub-harness';
import { postToHub } from './hub-client';
import { rbmPush } from './inbound-wire';
import { enabledSettings, startSimulatorRig, type SimulatorRig } from './test-rig';

const PHONE = '+447700900481';
const UNSUBSCRIBED = 'carrier rbm: user unsubscribed in Google Messages';
const SUBSCRIBED = 'carrier rbm: user subscribed again in Google Messages';
const RBM_SEND = /^\/rbm\/v1\/phones\/[^/]+\/agentMessages/;

let rig: SimulatorRig;
let desk: TestDesk;

beforeEach(async () => {
  // The outbox is driven by hand (runDue) so each test says when a send happens.
  rig = await startSimulatorRig({ clock: new ManualClock(Date.now()), escalationTimer: false, outbox: { autoStart: false } });
  await addStaff(rig.hub, 'ada', 'admin');
  desk = await connectDesk(rig.hub, 'ada');
});
afterEach(async () => {
  desk.close();
  await rig.close();
});

/** The patient writes on RCS: a case on the RBM agent's line, on channel rcs. */
async function conversationOnRcs(): Promise<string> {
  const { lineNumber } = enabledSettings(rig.carriers.rbm);
  await rig.simulator.send({ route: 'rbm', from: PHONE, to: lineNumber, text: 'Is visiting at 2pm today?' });
  const opened = await desk.waitFor((event) => event.type === 'case.opened' && event.message?.body === 'Is visiting at 2pm today?');
  expect(opened.case.channel).toBe('rcs');
  return opened.case.id;
}

async function reply(caseId: string, body: string): Promise<CommandResult> {
  const { version } = await rig.hub.store.db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow();
  const payload = { commandId: commandId(), caseId, version, body };
  return new Promise((resolve) => (desk.socket.emit as (event: string, payload: unknown, ack: (result: CommandResult) => void) => void)('reply', payload, resolve));
}

function consents() {
  return rig.hub.store.db.selectFrom('consents').select(['channel', 'status', 'source', 'changed_at']).orderBy('channel').execute();
}

async function consentAudit() {
  const rows = await rig.hub.store.db.selectFrom('audit').selectAll().where('action', 'like', 'consent.%').orderBy('id').execute();
  return rows.map((row) => ({ action: row.action, actor: `${row.actor_type}:${row.actor_id ?? ''}`, caseId: row.case_id, detail: JSON.parse(row.detail) as Record<string, unknown> }));
}

/** Sends what is due and says which channel the staff reply `body` reached the phone by. */
async function deliveredBy(body: string): Promise<string> {
  await rig.hub.outbox.runDue();
  const arrived = await rig.simulator.network.waitFor((message) => message.direction === 'out' && message.phone === PHONE && message.text === body);
  return arrived.channel;
}

const rbmSends = () => rig.simulator.requests.filter((request) => request.method === 'POST' && RBM_SEND.test(request.path)).length;

describe('UNSUBSCRIBE and SUBSCRIBE from Google Messages (RBM user events)', () => {
  it('UNSUBSCRIBE opts the contact out of RCS only, audited, with nothing sent on RCS, and the next staff reply goes by SMS', async () => {
    const caseId = await conversationOnRcs();
    const { eventId, answers } = await rig.simulator.rcsSubscription(PHONE, 'unsubscribe', { keyword: false });
    expect(answers.map((answer) => answer.status)).toEqual([200]);

    const [rcs, ...others] = await consents();
    expect(others).toEqual([]);
    expect(rcs).toEqual({ channel: 'rcs', status: 'opted_out', source: UNSUBSCRIBED, changed_at: expect.any(Number) });
    const contact = await rig.hub.store.db.selectFrom('contacts').select('id').where('phone', '=', PHONE).executeTakeFirstOrThrow();
    expect(await consentAudit()).toEqual([
      { action: 'consent.opted_out', actor: 'carrier:rbm', caseId, detail: { contactId: contact.id, channels: ['rcs'], source: UNSUBSCRIBED, eventId, occurredAt: rcs?.changed_at } },
    ]);
    expect((await verifyAuditChain(rig.hub.store.db)).ok).toBe(true);

    // The desk is told, and its profile shows RCS alone opted out, from where.
    await desk.waitFor((event) => event.type === 'consent.changed' && event.case.id === caseId);
    const profile = await new Promise<CaseProfileResult>((resolve) => desk.socket.emit('case:profile', { caseId }, resolve));
    if (!profile.ok) throw new Error(profile.error.message);
    expect(profile.contact.consents.filter((consent) => consent.status === 'opted_out')).toEqual([
      { channel: 'rcs', status: 'opted_out', recorded: true, source: UNSUBSCRIBED, changedAt: rcs?.changed_at },
    ]);

    // No confirmation: nothing was queued, nothing went to Google.
    expect(await rig.hub.store.db.selectFrom('outbox').select('id').execute()).toEqual([]);
    const rbmBefore = rbmSends();

    // The conversation is on RCS, but the reply is accepted and goes by SMS.
    expect(await reply(caseId, 'Yes, 2pm to 8pm.')).toMatchObject({ ok: true });
    expect(await deliveredBy('Yes, 2pm to 8pm.')).toBe('sms');
    expect(rbmSends()).toBe(rbmBefore);
  });

  it('SUBSCRIBE opts RCS back in, audited, and replies go by RCS again', async () => {
    const caseId = await conversationOnRcs();
    await rig.simulator.rcsSubscription(PHONE, 'unsubscribe', { keyword: false });
    const { eventId, answers } = await rig.simulator.rcsSubscription(PHONE, 'subscribe', { keyword: false });
    expect(answers.map((answer) => answer.status)).toEqual([200]);

    expect(await consents()).toEqual([{ channel: 'rcs', status: 'opted_in', source: SUBSCRIBED, changed_at: expect.any(Number) }]);
    expect((await consentAudit()).map((row) => [row.action, row.actor, row.caseId, row.detail.channels, row.detail.source])).toEqual([
      ['consent.opted_out', 'carrier:rbm', caseId, ['rcs'], UNSUBSCRIBED],
      ['consent.opted_in', 'carrier:rbm', caseId, ['rcs'], SUBSCRIBED],
    ]);
    expect((await consentAudit())[1]?.detail.eventId).toBe(eventId);
    expect(await rig.hub.store.db.selectFrom('outbox').select('id').execute()).toEqual([]);

    expect(await reply(caseId, 'Welcome back.')).toMatchObject({ ok: true });
    expect(await deliveredBy('Welcome back.')).toBe('rcs');
  });

  it('a duplicate delivery of the same event changes nothing, even after a later SUBSCRIBE', async () => {
    const caseId = await conversationOnRcs();
    // Google delivers at least once: the same signed push twice.
    const unsubscribe = await rig.simulator.rcsSubscription(PHONE, 'unsubscribe', { keyword: false, copies: 2 });
    expect(unsubscribe.answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect((await consentAudit()).map((row) => row.action)).toEqual(['consent.opted_out']);
    const optedOut = await consents();

    await rig.simulator.rcsSubscription(PHONE, 'subscribe', { keyword: false });
    const subscribed = await consents();
    expect(subscribed).toMatchObject([{ channel: 'rcs', status: 'opted_in' }]);
    // The UNSUBSCRIBE redelivered after the SUBSCRIBE (Google retries for up to 7 days): answered 200, nothing undone.
    expect((await postToHub(rig.hub.url, unsubscribe.request)).status).toBe(200);
    expect(await consents()).toEqual(subscribed);
    expect((await consentAudit()).map((row) => row.action)).toEqual(['consent.opted_out', 'consent.opted_in']);
    expect(desk.events.filter((event) => event.type === 'consent.changed' && event.case.id === caseId)).toHaveLength(2);
    expect(optedOut).toMatchObject([{ status: 'opted_out' }]);
  });

  it('a malformed UNSUBSCRIBE, correctly signed, is answered 400 and nothing is stored', async () => {
    await conversationOnRcs();
    const { clientToken, agentId } = enabledSettings(rig.carriers.rbm);
    const event = { senderPhoneNumber: PHONE, eventType: 'UNSUBSCRIBE', eventId: 'MxMalformed1', sendTime: new Date().toISOString(), agentId };
    const malformed = [
      { ...event, senderPhoneNumber: 'not a phone number' },
      { ...event, eventId: undefined },
      { ...event, sendTime: 'the day before yesterday' },
    ];
    for (const inner of malformed) {
      const answer = await postToHub(rig.hub.url, rbmPush(clientToken, agentId, inner, Date.now()));
      expect(answer.status).toBe(400);
    }
    expect(await consents()).toEqual([]);
    expect(await consentAudit()).toEqual([]);
    expect(desk.events.filter((candidate) => candidate.type === 'consent.changed')).toEqual([]);
  });

  it('from a UK number, the STOP text Google Messages sends with the event is applied as a STOP: every channel, answered once', async () => {
    const caseId = await conversationOnRcs();
    const { answers, keyword } = await rig.simulator.rcsSubscription(PHONE, 'unsubscribe');
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(keyword?.text).toBe('STOP');

    const viaKeyword = 'keyword STOP via rbm rcs';
    expect((await consents()).map((row) => [row.channel, row.status, row.source])).toEqual([
      ['rcs', 'opted_out', UNSUBSCRIBED],
      ['sms', 'opted_out', viaKeyword],
      ['whatsapp', 'opted_out', viaKeyword],
    ]);
    expect((await consentAudit()).map((row) => [row.action, row.detail.channels])).toEqual([
      ['consent.opted_out', ['rcs']],
      ['consent.opted_out', ['sms', 'whatsapp']],
    ]);
    // The STOP's one confirmation, as for any STOP on RCS; the event itself queued nothing.
    expect(await rig.hub.store.db.selectFrom('outbox').select(['kind', 'channel']).execute()).toEqual([{ kind: 'keyword_answer', channel: 'rcs' }]);
    expect(await reply(caseId, 'Are you still there?')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('from a Spanish number, whose keyword text (BAJA) Clarion does not know, the event alone still takes RCS off and the reply goes by SMS', async () => {
    const spanish = '+34612345678';
    const { lineNumber } = enabledSettings(rig.carriers.rbm);
    await rig.simulator.send({ route: 'rbm', from: spanish, to: lineNumber, text: 'Hola' });
    const opened = await desk.waitFor((event) => event.type === 'case.opened' && event.message?.body === 'Hola');
    // As Google does it: the UNSUBSCRIBE event, and "BAJA" posted as a message from the user.
    const { answers, keyword } = await rig.simulator.rcsSubscription(spanish, 'unsubscribe');
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(keyword?.text).toBe('BAJA');

    expect(await consents()).toEqual([{ channel: 'rcs', status: 'opted_out', source: UNSUBSCRIBED, changed_at: expect.any(Number) }]);
    expect(await rig.hub.store.db.selectFrom('outbox').select('id').execute()).toEqual([]);
    expect(await reply(opened.case.id, 'Le llamaremos.')).toMatchObject({ ok: true });
    await rig.hub.outbox.runDue();
    const arrived = await rig.simulator.network.waitFor((message) => message.direction === 'out' && message.phone === spanish);
    expect(arrived.channel).toBe('sms');
  });
});
