// A number opted out at the carrier that Clarion did not know about: the patient texted STOP to Twilio while the hub was
// unreachable, so Twilio blocked the number but the hub never heard. The next staff reply is refused by the simulated
// Twilio with 21610, exactly as Twilio answers; the hub must then record the opt-out itself (consent-records, audit,
// the desk's event), once, in the same transaction as the message's failure, and refuse later replies up front.
import { createServer } from 'node:net';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseDetailResult, CaseProfileResult, CommandResult, DeskEvent } from '../../shared/protocol';
import { ManualClock } from '../clock';
import { outboundCarriers, type OutboundCarriers } from '../outbox/carrier-clients';
import { OutboxSender } from '../outbox/outbox-sender';
import { verifyAuditChain } from '../store/audit-log';
import { addStaff, commandId, connectDesk, LINES, type TestDesk } from '../testing/hub-harness';
import { twilioSignature } from './signing';
import { enabledSettings, startSimulatorRig, type SimulatorRig } from './test-rig';

const PHONE = '+447700900470';
const SOURCE = 'carrier twilio (Twilio error 21610)';
const TWILIO_SEND = /^\/twilio\/2010-04-01\/Accounts\/[^/]+\/Messages\.json$/;

let rig: SimulatorRig;
let desk: TestDesk;
let clock: ManualClock;

beforeEach(async () => {
  clock = new ManualClock(Date.now());
  // The outbox is driven by hand (runDue) so each test says exactly when a send happens.
  rig = await startSimulatorRig({ clock, escalationTimer: false, outbox: { autoStart: false } });
  await addStaff(rig.hub, 'ada', 'admin');
  desk = await connectDesk(rig.hub, 'ada');
});
afterEach(async () => {
  desk.close();
  await rig.close();
});

/** A port nothing listens on: the hub as Twilio sees it during an outage. */
async function unreachableUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return `http://127.0.0.1:${address.port}`;
}

/** The patient texts STOP while the hub is down: Twilio opts the number out, the hub never hears of it. */
async function stopTheHubNeverHeard(): Promise<void> {
  const hubUrl = rig.simulator.hubUrl;
  rig.simulator.hubUrl = await unreachableUrl();
  try {
    await expect(rig.simulator.send({ route: 'twilio-sms', from: PHONE, to: LINES.ward, text: 'STOP' })).rejects.toThrow();
  } finally {
    rig.simulator.hubUrl = hubUrl;
  }
}

async function reply(caseId: string, body: string): Promise<CommandResult> {
  const { version } = await rig.hub.store.db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow();
  const payload = { commandId: commandId(), caseId, version, body };
  return new Promise((resolve) => (desk.socket.emit as (event: string, payload: unknown, ack: (result: CommandResult) => void) => void)('reply', payload, resolve));
}

function twilioSends(): number {
  return rig.simulator.requests.filter((request) => request.method === 'POST' && TWILIO_SEND.test(request.path)).length;
}

function consents() {
  return rig.hub.store.db.selectFrom('consents').select(['channel', 'status', 'source', 'changed_at']).orderBy('channel').execute();
}

async function audit(caseId: string, action: string) {
  const rows = await rig.hub.store.db.selectFrom('audit').selectAll().where('case_id', '=', caseId).where('action', '=', action).orderBy('id').execute();
  return rows.map((row) => ({ actor: `${row.actor_type}:${row.actor_id ?? ''}`, at: row.at, detail: JSON.parse(row.detail) as Record<string, unknown> }));
}

/** A conversation by SMS, a STOP only Twilio heard, and a staff reply Clarion still thinks it may send. */
async function replyToUnknowinglyOptedOut(body = 'Visiting is 2pm to 8pm.'): Promise<string> {
  await rig.simulator.send({ route: 'twilio-sms', from: PHONE, to: LINES.ward, text: 'When is visiting time?' });
  const opened = await desk.waitFor((event) => event.type === 'case.opened' && event.message?.body === 'When is visiting time?');
  await stopTheHubNeverHeard();
  expect(await consents()).toEqual([]);
  expect(await reply(opened.case.id, body)).toMatchObject({ ok: true });
  return opened.case.id;
}

/** Once the opt-out is recorded, the next staff reply is refused up front: nothing queued, no second send to Twilio. */
async function expectNextReplyRefused(caseId: string): Promise<void> {
  const outboxRows = await rig.hub.store.db.selectFrom('outbox').select('id').execute();
  expect(await reply(caseId, 'Are you still there?')).toMatchObject({
    ok: false,
    error: { code: 'forbidden', message: expect.stringContaining('this contact has opted out of messages') },
  });
  expect(await rig.hub.store.db.selectFrom('outbox').select('id').execute()).toHaveLength(outboxRows.length);
  expect((await rig.hub.outbox.runDue()).size).toBe(0);
  expect(twilioSends()).toBe(1);
}

const optedOutEverywhere = (changedAt: number) => [
  { channel: 'rcs', status: 'opted_out', source: SOURCE, changed_at: changedAt },
  { channel: 'sms', status: 'opted_out', source: SOURCE, changed_at: changedAt },
  { channel: 'whatsapp', status: 'opted_out', source: SOURCE, changed_at: changedAt },
];

/**
 * What the desk sees of a carrier opt-out: the message's failure, then the consent change from the same commit (the very
 * next event), and the case's profile with every channel opted out at `changedAt`. Both are returned for what else a
 * test checks of them.
 */
async function expectDeskSawOptOut(caseId: string, changedAt: number): Promise<{ failedEvent: DeskEvent; profile: Extract<CaseProfileResult, { ok: true }> }> {
  const failedEvent = await desk.waitFor((event) => event.type === 'delivery.updated' && event.message?.deliveryState === 'failed');
  const consentEvent = await desk.waitFor((event) => event.type === 'consent.changed' && event.case.id === caseId);
  expect(consentEvent.seq).toBe(failedEvent.seq + 1);
  const profile = await new Promise<CaseProfileResult>((resolve) => desk.socket.emit('case:profile', { caseId }, resolve));
  if (!profile.ok) throw new Error(profile.error.message);
  expect(profile.contact.consents).toEqual([
    { channel: 'sms', status: 'opted_out', recorded: true, source: SOURCE, changedAt },
    { channel: 'whatsapp', status: 'opted_out', recorded: true, source: SOURCE, changedAt },
    { channel: 'rcs', status: 'opted_out', recorded: true, source: SOURCE, changedAt },
  ]);
  return { failedEvent, profile };
}

describe("a carrier's opted-out refusal (Twilio 21610)", () => {
  it('records the opt-out on every channel, audited, and the desk sees it and why the reply failed', async () => {
    const caseId = await replyToUnknowinglyOptedOut();
    clock.advance(1_000);
    const refusedAt = clock.now();

    expect([...(await rig.hub.outbox.runDue()).values()]).toEqual(['failed']);
    expect(twilioSends()).toBe(1);
    expect(rig.simulator.network.conversation(PHONE).filter((message) => message.direction === 'out')).toEqual([]);

    // Consent: every channel, as a STOP keyword does, with the carrier and the time as its source.
    expect(await consents()).toEqual(optedOutEverywhere(refusedAt));
    const [optedOut, ...more] = await audit(caseId, 'consent.opted_out');
    expect(more).toEqual([]);
    expect(optedOut).toMatchObject({ actor: 'carrier:twilio', at: refusedAt, detail: { channels: ['sms', 'whatsapp', 'rcs'], source: SOURCE } });
    const [failed] = await audit(caseId, 'reply.failed');
    expect(failed).toMatchObject({ actor: 'system:outbox', at: refusedAt, detail: { reason: expect.stringContaining('opted out with the carrier') } });

    // The desk: the message failed with the reason in words, and the consent change, from one commit.
    const { failedEvent, profile } = await expectDeskSawOptOut(caseId, refusedAt);
    expect(failedEvent.message?.deliveryError).toBe(
      'Not sent: the number has opted out with the carrier (Twilio error 21610; they replied STOP to it). Clarion now records them as opted out of every channel.',
    );
    expect(profile.timeline.find((entry) => entry.action === 'consent.opted_out')).toMatchObject({ actor: { kind: 'carrier' }, channels: ['sms', 'whatsapp', 'rcs'] });
  });

  it('refuses the next staff reply up front with the opted-out message: nothing queued, no carrier called', async () => {
    const caseId = await replyToUnknowinglyOptedOut();
    await rig.hub.outbox.runDue();
    await expectNextReplyRefused(caseId);
  });

  it('records it once: a second refusal, from a send that raced the first (a second hub), adds nothing', async () => {
    const caseId = await replyToUnknowinglyOptedOut('First reply');
    expect(await reply(caseId, 'Second reply')).toMatchObject({ ok: true });

    // A second hub on the same database, whose Twilio answer is held until this hub has sent and recorded its own.
    const carriers = outboundCarriers(rig.carriers, clock);
    let answered!: () => void;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (answered = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const heldCarriers: OutboundCarriers = {
      ...carriers,
      async sendSms(to, body, reference) {
        const result = await carriers.sendSms(to, body, reference);
        answered();
        await gate;
        return result;
      },
    };
    const otherHub = new OutboxSender(rig.hub.store, { clock, carriers: heldCarriers, batchSize: 1 });
    const otherRun = otherHub.runDue();
    await held;
    // Both hubs read consent before either recorded anything, so both reach Twilio and both are refused.
    clock.advance(1_000);
    const firstRecordedAt = clock.now();
    expect([...(await rig.hub.outbox.runDue()).values()]).toEqual(['failed']);
    clock.advance(1_000);
    release();
    expect([...(await otherRun).values()]).toEqual(['failed']);

    expect(twilioSends()).toBe(2);
    const messages = await rig.hub.store.db.selectFrom('messages').select(['body', 'delivery_state']).where('direction', '=', 'outbound').orderBy('body').execute();
    expect(messages).toEqual([
      { body: 'First reply', delivery_state: 'failed' },
      { body: 'Second reply', delivery_state: 'failed' },
    ]);
    expect(await audit(caseId, 'reply.failed')).toHaveLength(2);
    expect(await consents()).toEqual(optedOutEverywhere(firstRecordedAt));
    expect(await audit(caseId, 'consent.opted_out')).toHaveLength(1);
    await desk.waitFor((event) => event.type === 'delivery.updated' && event.message?.body === 'First reply' && event.message.deliveryState === 'failed');
    await desk.waitFor((event) => event.type === 'delivery.updated' && event.message?.body === 'Second reply' && event.message.deliveryState === 'failed');
    expect(desk.events.filter((event) => event.type === 'consent.changed')).toHaveLength(1);
  });

  it('writes the failure and the opt-out together or not at all, and tries again after the claim expires', async () => {
    const caseId = await replyToUnknowinglyOptedOut();
    // The consent write fails (as a full disk would): the message must not be marked failed without its reason.
    await sql`CREATE TRIGGER refuse_consents BEFORE INSERT ON consents BEGIN SELECT RAISE(ABORT, 'disk full'); END`.execute(rig.hub.store.db);
    expect([...(await rig.hub.outbox.runDue()).values()]).toEqual(['not_claimed']);
    expect(await rig.hub.store.db.selectFrom('messages').select('delivery_state').where('direction', '=', 'outbound').execute()).toEqual([{ delivery_state: 'queued' }]);
    expect(await consents()).toEqual([]);
    expect(await audit(caseId, 'reply.failed')).toEqual([]);
    expect(await verifyAuditChain(rig.hub.store.db)).toMatchObject({ ok: true });

    await sql`DROP TRIGGER refuse_consents`.execute(rig.hub.store.db);
    clock.advance(2 * 60_000);
    expect([...(await rig.hub.outbox.runDue()).values()]).toEqual(['failed']);
    expect(await consents()).toEqual(optedOutEverywhere(clock.now()));
    expect(await audit(caseId, 'reply.failed')).toHaveLength(1);
    expect(await audit(caseId, 'consent.opted_out')).toHaveLength(1);
  });

  it('a later START by text opts back in as today, and the next reply reaches the phone', async () => {
    const caseId = await replyToUnknowinglyOptedOut();
    await rig.hub.outbox.runDue();
    await rig.simulator.send({ route: 'twilio-sms', from: PHONE, to: LINES.ward, text: 'START' });
    expect((await consents()).map((row) => [row.status, row.source])).toEqual([
      ['opted_in', 'keyword START via twilio sms'],
      ['opted_in', 'keyword START via twilio sms'],
      ['opted_in', 'keyword START via twilio sms'],
    ]);
    expect(await reply(caseId, 'Welcome back.')).toMatchObject({ ok: true });
    expect([...(await rig.hub.outbox.runDue()).values()]).toEqual(['sent']);
    const arrived = await rig.simulator.network.waitFor((message) => message.direction === 'out' && message.phone === PHONE, 5_000);
    expect(arrived).toMatchObject({ carrier: 'twilio', channel: 'sms', text: 'Welcome back.' });
  });
});

// Twilio may also take a send (201, a SID) and only then find the number opted out: it reports 21610 in the message's
// status callback (MessageStatus failed or undelivered). That must count as the refusal at send time does.
describe('an opted-out refusal in a Twilio status callback (21610 after the send was taken)', () => {
  /** A staff reply Twilio accepted, with no receipts posted of the simulator's own accord. */
  async function replyTwilioTook(): Promise<{ caseId: string; sid: string; messageId: string }> {
    rig.simulator.receiptPlan.states = [];
    await rig.simulator.send({ route: 'twilio-sms', from: PHONE, to: LINES.ward, text: 'When is visiting time?' });
    const opened = await desk.waitFor((event) => event.type === 'case.opened' && event.message?.body === 'When is visiting time?');
    expect(await reply(opened.case.id, 'Visiting is 2pm to 8pm.')).toMatchObject({ ok: true });
    expect([...(await rig.hub.outbox.runDue()).values()]).toEqual(['sent']);
    const sent = await rig.hub.store.db
      .selectFrom('messages')
      .select(['id', 'provider_message_id'])
      .where('case_id', '=', opened.case.id)
      .where('direction', '=', 'outbound')
      .executeTakeFirstOrThrow();
    if (sent.provider_message_id === null) throw new Error('the reply has no Twilio SID');
    return { caseId: opened.case.id, sid: sent.provider_message_id, messageId: sent.id };
  }

  /** Twilio's status callback as it posts one: every field it sends, signed over the StatusCallback URL the hub gave. */
  async function statusCallback(sid: string, messageStatus: 'failed' | 'undelivered' | 'delivered', errorCode: string): Promise<number> {
    const settings = enabledSettings(rig.carriers.twilio);
    const sent = rig.simulator.network.find(sid);
    const statusCallbackUrl = sent?.twilio?.statusCallback ?? `${settings.publicUrl}/webhooks/twilio/status`;
    const params: [string, string][] = [
      ['SmsSid', sid],
      ['SmsStatus', messageStatus],
      ['MessageStatus', messageStatus],
      ['To', PHONE],
      ['MessageSid', sid],
      ['AccountSid', settings.accountSid],
      ['From', sent?.twilio?.from ?? LINES.ward],
      ['ApiVersion', '2010-04-01'],
      ['ErrorCode', errorCode],
    ];
    const url = new URL(statusCallbackUrl);
    const response = await fetch(rig.hub.url + url.pathname + url.search, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(settings.authToken, statusCallbackUrl, params) },
      body: new URLSearchParams(params).toString(),
    });
    return response.status;
  }

  function outboundMessage(messageId: string) {
    return rig.hub.store.db.selectFrom('messages').select(['delivery_state', 'delivery_error']).where('id', '=', messageId).executeTakeFirstOrThrow();
  }

  it.each(['undelivered', 'failed'] as const)('records the opt-out on every channel, audited, with the failure (MessageStatus %s)', async (messageStatus) => {
    const { caseId, sid, messageId } = await replyTwilioTook();
    expect(await consents()).toEqual([]);
    clock.advance(1_000);
    const reportedAt = clock.now();

    expect(await statusCallback(sid, messageStatus, '21610')).toBe(204);

    expect(await outboundMessage(messageId)).toEqual({
      delivery_state: 'failed',
      delivery_error: expect.stringContaining('opted out with the carrier (Twilio error 21610; they replied STOP to it)'),
    });
    expect(await consents()).toEqual(optedOutEverywhere(reportedAt));
    const [optedOut, ...more] = await audit(caseId, 'consent.opted_out');
    expect(more).toEqual([]);
    expect(optedOut).toEqual({ actor: 'carrier:twilio', at: reportedAt, detail: { contactId: expect.any(String), channels: ['sms', 'whatsapp', 'rcs'], source: SOURCE, messageId } });
    const updates = await audit(caseId, 'delivery.updated');
    expect(updates.at(-1)).toMatchObject({ actor: 'carrier:twilio', at: reportedAt, detail: { messageId, to: 'failed', providerStatus: messageStatus, errorCode: '21610' } });
    expect(await verifyAuditChain(rig.hub.store.db)).toMatchObject({ ok: true });

    // The desk: the failure and the consent change, one commit, so consecutive events.
    const { failedEvent } = await expectDeskSawOptOut(caseId, reportedAt);
    expect(failedEvent.message?.deliveryError).toContain('Twilio error 21610');
  });

  it('records it once: a repeated callback changes nothing more', async () => {
    const { caseId, sid } = await replyTwilioTook();
    clock.advance(1_000);
    const reportedAt = clock.now();
    expect(await statusCallback(sid, 'undelivered', '21610')).toBe(204);
    expect(await consents()).toEqual(optedOutEverywhere(reportedAt));
    const auditRows = await rig.hub.store.db.selectFrom('audit').select('id').execute();
    await desk.waitFor((event) => event.type === 'consent.changed' && event.case.id === caseId);

    // Twilio delivers callbacks at least once.
    clock.advance(1_000);
    expect(await statusCallback(sid, 'undelivered', '21610')).toBe(204);
    expect(await statusCallback(sid, 'failed', '21610')).toBe(204);

    expect(await consents()).toEqual(optedOutEverywhere(reportedAt));
    expect(await rig.hub.store.db.selectFrom('audit').select('id').execute()).toEqual(auditRows);
    expect(await audit(caseId, 'consent.opted_out')).toHaveLength(1);
    expect(desk.events.filter((event) => event.type === 'consent.changed')).toHaveLength(1);
  });

  it('does not opt the contact out again when Twilio repeats the callback after they replied START', async () => {
    const { caseId, sid } = await replyTwilioTook();
    expect(await statusCallback(sid, 'failed', '21610')).toBe(204);
    await rig.simulator.send({ route: 'twilio-sms', from: PHONE, to: LINES.ward, text: 'START' });
    expect(await statusCallback(sid, 'failed', '21610')).toBe(204);
    expect((await consents()).map((row) => row.status)).toEqual(['opted_in', 'opted_in', 'opted_in']);
    expect(await audit(caseId, 'consent.opted_out')).toHaveLength(1);
  });

  it('refuses the next staff reply up front with the opted-out message: nothing queued, no carrier called', async () => {
    const { caseId, sid } = await replyTwilioTook();
    expect(await statusCallback(sid, 'undelivered', '21610')).toBe(204);
    await expectNextReplyRefused(caseId);
  });

  it('writes the failure and the opt-out together or not at all: Twilio is answered 5xx and its retry records both', async () => {
    const { caseId, sid, messageId } = await replyTwilioTook();
    const before = await outboundMessage(messageId);
    await sql`CREATE TRIGGER refuse_consents BEFORE INSERT ON consents BEGIN SELECT RAISE(ABORT, 'disk full'); END`.execute(rig.hub.store.db);
    expect(await statusCallback(sid, 'undelivered', '21610')).toBe(503);
    expect(await outboundMessage(messageId)).toEqual(before);
    expect(await consents()).toEqual([]);
    expect(await audit(caseId, 'delivery.updated')).toEqual([]);
    expect(await verifyAuditChain(rig.hub.store.db)).toMatchObject({ ok: true });

    await sql`DROP TRIGGER refuse_consents`.execute(rig.hub.store.db);
    expect(await statusCallback(sid, 'undelivered', '21610')).toBe(204);
    expect(await outboundMessage(messageId)).toMatchObject({ delivery_state: 'failed' });
    expect(await consents()).toEqual(optedOutEverywhere(clock.now()));
    expect(await audit(caseId, 'delivery.updated')).toHaveLength(1);
    expect(await audit(caseId, 'consent.opted_out')).toHaveLength(1);
  });

  it('records no opt-out for a failure with another error code (30003, handset unreachable), and tells staff what happened', async () => {
    const { caseId, sid, messageId } = await replyTwilioTook();
    expect(await statusCallback(sid, 'failed', '30003')).toBe(204);

    const words = 'Not delivered: the phone is switched off, has no signal or cannot take texts (Twilio error 30003).';
    expect(await outboundMessage(messageId)).toEqual({ delivery_state: 'failed', delivery_error: words });
    const failedEvent = await desk.waitFor((event) => event.type === 'delivery.updated' && event.message?.deliveryState === 'failed');
    expect(failedEvent.message?.deliveryError).toBe(words);
    expect(await audit(caseId, 'delivery.updated')).toEqual([expect.objectContaining({ detail: expect.objectContaining({ to: 'failed', errorCode: '30003' }) })]);
    expect(await consents()).toEqual([]);
    expect(await audit(caseId, 'consent.opted_out')).toEqual([]);
    expect(await reply(caseId, 'Trying again.')).toMatchObject({ ok: true });
    expect(desk.events.filter((event) => event.type === 'consent.changed')).toEqual([]);
  });

  it('a delivery reported after the 21610 shows the message delivered, without the failure\'s words; the opt-out stays', async () => {
    const { caseId, sid, messageId } = await replyTwilioTook();
    clock.advance(1_000);
    const reportedAt = clock.now();
    expect(await statusCallback(sid, 'failed', '21610')).toBe(204);
    await desk.waitFor((event) => event.type === 'consent.changed' && event.case.id === caseId);

    // It did arrive after all: delivered replaces failed (channels/delivery-order.ts), and the words go with the failure.
    clock.advance(1_000);
    expect(await statusCallback(sid, 'delivered', '')).toBe(204);
    expect(await outboundMessage(messageId)).toEqual({ delivery_state: 'delivered', delivery_error: null });
    const deliveredEvent = await desk.waitFor((event) => event.type === 'delivery.updated' && event.message?.deliveryState === 'delivered');
    expect(deliveredEvent.message).toBeDefined();
    expect(deliveredEvent.message).not.toHaveProperty('deliveryError');
    const detail = await new Promise<CaseDetailResult>((resolve) => desk.socket.emit('case:detail', { caseId }, resolve));
    if (!detail.ok) throw new Error(detail.error.message);
    expect(detail.messages.find((message) => message.id === messageId)).not.toHaveProperty('deliveryError');

    // The opt-out the carrier reported is consent, not this message's state: it stands until the contact sends START.
    expect(await consents()).toEqual(optedOutEverywhere(reportedAt));
    expect(await audit(caseId, 'consent.opted_out')).toHaveLength(1);
    await expectNextReplyRefused(caseId);
  });

  it('ignores a 21610 callback for a message it has no record of, as any receipt', async () => {
    await rig.simulator.send({ route: 'twilio-sms', from: PHONE, to: LINES.ward, text: 'When is visiting time?' });
    await desk.waitFor((event) => event.type === 'case.opened');
    expect(await statusCallback('SM' + 'cd'.repeat(16), 'failed', '21610')).toBe(204);
    expect(await consents()).toEqual([]);
    expect(await rig.hub.store.db.selectFrom('audit').select('action').where('action', '=', 'consent.opted_out').execute()).toEqual([]);
  });
});
