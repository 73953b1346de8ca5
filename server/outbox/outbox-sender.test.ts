// The outbox sender against a real hub (temp SQLite, real desk over socket.io) and the carriers' APIs stood in for by
// a real local HTTP server speaking their wire formats. Time is a ManualClock: retries and RCS timeouts are reached by
// moving it, never by waiting.
import { afterEach, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../shared/inbound';
import type { CommandResult } from '../../shared/protocol';
import { ManualClock } from '../clock';
import type { Hub, HubOptions } from '../hub';
import { applyDeliveryStatus } from '../intake/delivery-receipts';
import { twilioSignature } from '../simulator/signing';
import { parsePrometheusText } from '../testing/prometheus-text';
import { openStore } from '../store/open-store';
import { addStaff, commandId, connectDesk, inbound, LINES, removeDir, startHub, tempDataDir, type TestDesk } from '../testing/hub-harness';
import { outboundCarriers } from './carrier-clients';
import { type CarrierSet, fakeCarrierConfig, TWILIO_ACCOUNT_SID, TWILIO_INVALID_NUMBER, TWILIO_SEND } from './fake-carrier-apis';
import { useFakeCarrierApis } from './use-fake-carrier-apis';
import { OutboxSender } from './outbox-sender';

const T0 = Date.UTC(2026, 10, 27, 9, 30);
const PATIENT = '+447700900456';
const RCS_TIMEOUT = 300_000;
const RBM_SEND = /\/agentMessages\?messageId=/;
const RBM_REVOKE = /\/agentMessages\/[0-9a-f-]+\?agentId=/;
const WHATSAPP_SEND = /\/messages$/;

const apis = useFakeCarrierApis();
let hub: Hub | undefined;
let desk: TestDesk | undefined;
let clock: ManualClock;

afterEach(async () => {
  desk?.close();
  if (hub !== undefined) {
    await hub.close();
    removeDir(hub.config.dataDir);
  }
  hub = undefined;
  desk = undefined;
});

async function setup(enabled: readonly CarrierSet[], outbox: HubOptions['outbox'] = {}): Promise<Hub> {
  apis.reset();
  const dir = tempDataDir();
  clock = new ManualClock(T0);
  hub = await startHub({
    dataDir: dir,
    clock,
    carriers: fakeCarrierConfig(apis, dir, enabled),
    outbox: { autoStart: false, random: () => 0.5, rcsDeliveryTimeoutMs: RCS_TIMEOUT, ...outbox },
  });
  await addStaff(hub, 'sam', 'outreach');
  desk = await connectDesk(hub, 'sam');
  return hub;
}

function command(name: 'reply', payload: unknown): Promise<CommandResult> {
  if (desk === undefined) throw new Error('no desk');
  const socket = desk.socket;
  return new Promise((resolve) => (socket.emit as (event: string, payload: unknown, ack: (result: CommandResult) => void) => void)(name, payload, resolve));
}

async function patientWrites(text: string, extra: Partial<InboundMessage> = {}): Promise<string> {
  if (hub === undefined) throw new Error('no hub');
  return (await hub.receive(inbound(PATIENT, LINES.martha, text, extra))).caseId;
}

/** Moves the contact's last inbound message into the past (moving the clock that far would end the desk's session). */
async function patientLastWrote(agoMs: number): Promise<void> {
  if (hub === undefined) throw new Error('no hub');
  await hub.store.db.updateTable('contacts').set({ last_inbound_at: clock.now() - agoMs }).where('phone', '=', PATIENT).execute();
}

async function reply(caseId: string, body: string, templateId?: string): Promise<CommandResult> {
  if (hub === undefined) throw new Error('no hub');
  const { version } = await hub.store.db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow();
  return command('reply', { commandId: commandId(), caseId, version, body, ...(templateId === undefined ? {} : { templateId }) });
}

async function outboundMessage(caseId: string) {
  if (hub === undefined) throw new Error('no hub');
  return hub.store.db.selectFrom('messages').selectAll().where('case_id', '=', caseId).where('direction', '=', 'outbound').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
}

async function outboxRow(caseId: string) {
  if (hub === undefined) throw new Error('no hub');
  return hub.store.db.selectFrom('outbox').selectAll().where('case_id', '=', caseId).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
}

describe('outbox sender: SMS, receipts and retries', () => {
  it('sends a reply by Twilio, records the SID on the message, and applies out-of-order receipts monotonically', async () => {
    const current = await setup(['twilio']);
    const caseId = await patientWrites('Is visiting at 2pm ok?');
    expect(await reply(caseId, 'Yes, visiting is 2pm to 8pm.')).toMatchObject({ ok: true });
    await current.outbox.runDue();

    const [sent] = apis.callsTo(TWILIO_SEND, 'POST');
    const form = new URLSearchParams(sent?.body);
    expect(form.get('To')).toBe(PATIENT);
    expect(form.get('Body')).toBe('Yes, visiting is 2pm to 8pm.');
    const message = await outboundMessage(caseId);
    expect(message).toMatchObject({ provider: 'twilio', channel: 'sms', delivery_state: 'accepted' });
    expect(message.provider_message_id).toMatch(/^SM[0-9a-f]{32}$/);
    expect(await outboxRow(caseId)).toMatchObject({ state: 'sent', attempts: 1, provider: 'twilio', send_channel: 'sms' });
    await desk?.waitFor((event) => event.type === 'delivery.updated' && event.message?.deliveryState === 'accepted');

    // Receipts arrive out of order: delivered first, then the late `sent`, then a duplicate delivered.
    const receipt = (state: 'sent' | 'delivered') => ({ provider: 'twilio' as const, providerMessageId: message.provider_message_id ?? '', state, providerStatus: state, occurredAt: T0 });
    expect(await applyDeliveryStatus(current.store, receipt('delivered'))).toBe('applied');
    expect(await applyDeliveryStatus(current.store, receipt('sent'))).toBe('superseded');
    expect(await applyDeliveryStatus(current.store, receipt('delivered'))).toBe('superseded');
    expect((await outboundMessage(caseId)).delivery_state).toBe('delivered');

    // Nothing is due any more: a second poll sends nothing.
    await current.outbox.runDue();
    expect(apis.callsTo(TWILIO_SEND, 'POST')).toHaveLength(1);
  });

  it('retries a carrier fault after an exponential, jittered delay on the injected clock, then sends', async () => {
    const current = await setup(['twilio'], { backoff: { baseMs: 10_000, maxMs: 600_000 } });
    const caseId = await patientWrites('Any news?');
    let faults = 2;
    apis.override((call) => (TWILIO_SEND.test(call.path) && faults-- > 0 ? { status: 503, json: { code: 20500, message: 'Internal Server Error' } } : undefined));
    await reply(caseId, 'The doctor will call you.');

    expect((await current.outbox.runDue()).get((await outboxRow(caseId)).id)).toBe('retry');
    // First retry: 10 s window, random 0.5 → three quarters of it.
    expect(await outboxRow(caseId)).toMatchObject({ state: 'pending', attempts: 1, next_attempt_at: T0 + 7_500, last_error: 'Twilio error 20500' });
    clock.advance(7_499);
    await current.outbox.runDue();
    expect(apis.callsTo(TWILIO_SEND)).toHaveLength(1);
    clock.advance(1);
    await current.outbox.runDue();
    expect(apis.callsTo(TWILIO_SEND)).toHaveLength(2);
    // Second retry: the window doubles to 20 s.
    expect(await outboxRow(caseId)).toMatchObject({ state: 'pending', attempts: 2, next_attempt_at: T0 + 7_500 + 15_000 });
    clock.advance(15_000);
    await current.outbox.runDue();
    expect(await outboxRow(caseId)).toMatchObject({ state: 'sent', attempts: 3 });
    expect((await outboundMessage(caseId)).delivery_state).toBe('accepted');
  });

  it('applies a signed status callback that overtakes the API answer, once the SID is recorded', async () => {
    const current = await setup(['twilio']);
    const caseId = await patientWrites('Hello');
    const sid = 'SM' + 'ab'.repeat(16);
    const callbackAnswers: number[] = [];
    // Twilio posts `delivered` before its API answer reaches us: the hub has no message with this SID yet.
    apis.override(async (call) => {
      if (!TWILIO_SEND.test(call.path)) return undefined;
      const params: [string, string][] = [['AccountSid', TWILIO_ACCOUNT_SID], ['MessageSid', sid], ['MessageStatus', 'delivered'], ['To', PATIENT], ['ApiVersion', '2010-04-01']];
      const response = await fetch(`${current.url}/webhooks/twilio/status`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilioSignature('twilio-auth-token-0123456789abcdef', 'https://clarion.example.nhs.uk/webhooks/twilio/status', params),
        },
        body: new URLSearchParams(params).toString(),
      });
      callbackAnswers.push(response.status);
      return { status: 201, json: { sid, status: 'queued', account_sid: TWILIO_ACCOUNT_SID } };
    });
    await reply(caseId, 'Hi there.');
    await current.outbox.runDue();
    expect(callbackAnswers).toHaveLength(1);
    expect(callbackAnswers[0]).toBeLessThan(300);
    expect(await outboundMessage(caseId)).toMatchObject({ provider_message_id: sid, delivery_state: 'delivered' });
  });

  it('shows IT the outbox on /metrics: what waits, how long the oldest has waited, what failed in the last day', async () => {
    const current = await setup(['twilio'], { maxAttempts: 2, backoff: { baseMs: 1_000, maxMs: 1_000 } });
    const scrape = async () => parsePrometheusText(await current.metrics.registry.metrics(), 'clarion_outbox_');
    apis.override((call) => (TWILIO_SEND.test(call.path) ? { status: 429, json: { code: 20429, message: 'Too Many Requests' } } : undefined));
    const caseId = await patientWrites('Dad is much worse, please come');
    await reply(caseId, 'The outreach team is on the way.');
    clock.advance(90_000);
    expect(await scrape()).toEqual(
      new Map([
        ['clarion_outbox_waiting{state="pending"}', 1],
        ['clarion_outbox_waiting{state="sending"}', 0],
        ['clarion_outbox_waiting{state="awaiting_delivery"}', 0],
        ['clarion_outbox_oldest_waiting_seconds', 90],
        ['clarion_outbox_failed_24h', 0],
      ]),
    );

    for (let poll = 0; poll < 3; poll += 1) {
      await current.outbox.runDue();
      clock.advance(1_000);
    }
    const failed = await scrape();
    expect(failed.get('clarion_outbox_waiting{state="pending"}')).toBe(0);
    expect(failed.get('clarion_outbox_oldest_waiting_seconds')).toBe(0);
    expect(failed.get('clarion_outbox_failed_24h')).toBe(1);
    clock.advance(24 * 60 * 60 * 1000);
    expect((await scrape()).get('clarion_outbox_failed_24h')).toBe(0);
  });

  it('gives up after the maximum attempts and tells staff why, on the message and on every desk', async () => {
    const current = await setup(['twilio'], { maxAttempts: 3, backoff: { baseMs: 1_000, maxMs: 1_000 } });
    const caseId = await patientWrites('Hello?');
    apis.override((call) => (TWILIO_SEND.test(call.path) ? { status: 429, json: { code: 20429, message: 'Too Many Requests' } } : undefined));
    await reply(caseId, 'We are here.');
    for (let poll = 0; poll < 5; poll += 1) {
      await current.outbox.runDue();
      clock.advance(1_000);
    }
    expect(apis.callsTo(TWILIO_SEND)).toHaveLength(3);
    expect(await outboxRow(caseId)).toMatchObject({ state: 'failed', attempts: 3 });
    const failed = await desk?.waitFor((event) => event.type === 'delivery.updated' && event.message?.deliveryState === 'failed');
    expect(failed?.message?.deliveryError).toBe('Not sent after 3 attempts: Twilio error 20429.');
    expect((await outboundMessage(caseId)).delivery_error).toBe('Not sent after 3 attempts: Twilio error 20429.');
    const audit = await current.store.db.selectFrom('audit').select('action').where('case_id', '=', caseId).execute();
    expect(audit.map((row) => row.action)).toContain('reply.failed');
  });

  it('does not retry what will fail the same way again (a bad number)', async () => {
    const current = await setup(['twilio']);
    const caseId = await patientWrites('Hi');
    apis.override((call) => (TWILIO_SEND.test(call.path) ? TWILIO_INVALID_NUMBER : undefined));
    await reply(caseId, 'Hello');
    await current.outbox.runDue();
    expect(await outboxRow(caseId)).toMatchObject({ state: 'failed', attempts: 1 });
    expect((await outboundMessage(caseId)).delivery_error).toBe('Not sent: the number is not a valid phone number (Twilio error 21211).');
  });

  it('uses GOV.UK Notify when Twilio is not set up, with the outbox id as the reference', async () => {
    const current = await setup(['notify']);
    const caseId = await patientWrites('When is my appointment?');
    await reply(caseId, 'Tuesday at 10.');
    await current.outbox.runDue();
    const [sent] = apis.callsTo(/\/v2\/notifications\/sms$/, 'POST');
    const row = await outboxRow(caseId);
    expect(JSON.parse(sent?.body ?? '{}')).toMatchObject({ phone_number: PATIENT, personalisation: { body: 'Tuesday at 10.' }, reference: row.id });
    expect(row).toMatchObject({ state: 'sent', provider: 'notify' });
  });

  it('sends a row once when two senders on two connections to one store poll together', async () => {
    const current = await setup(['twilio']);
    const caseIds = [await patientWrites('one'), await current.receive(inbound('+447700900457', LINES.martha, 'two')).then((result) => result.caseId)];
    for (const caseId of caseIds) await reply(caseId, 'Thank you, we have your message.');
    const otherStore = await openStore({ kind: 'sqlite', dataDir: current.config.dataDir }, clock);
    try {
      const other = new OutboxSender(otherStore, { clock, carriers: outboundCarriers(current.carriers, clock), random: () => 0.5 });
      const [mine, theirs] = await Promise.all([current.outbox.runDue(), other.runDue()]);
      expect(apis.callsTo(TWILIO_SEND)).toHaveLength(2);
      const outcomes = [...mine.values(), ...theirs.values()];
      expect(outcomes.filter((outcome) => outcome === 'sent')).toHaveLength(2);
      for (const caseId of caseIds) expect(await outboxRow(caseId)).toMatchObject({ state: 'sent', attempts: 1 });
    } finally {
      await otherStore.close();
    }
  });

  it('takes over a row whose sender died mid-send once its claim has expired', async () => {
    const current = await setup(['twilio'], { claimLeaseMs: 60_000 });
    const caseId = await patientWrites('Hi');
    await reply(caseId, 'Hello');
    // A sender that claimed the row and died: the row is left in `sending` until its lease ends.
    await current.store.db.updateTable('outbox').set({ state: 'sending', next_attempt_at: T0 + 60_000 }).where('case_id', '=', caseId).execute();
    await current.outbox.runDue();
    expect(apis.callsTo(TWILIO_SEND)).toHaveLength(0);
    clock.advance(60_000);
    await current.outbox.runDue();
    expect(apis.callsTo(TWILIO_SEND)).toHaveLength(1);
    expect(await outboxRow(caseId)).toMatchObject({ state: 'sent' });
  });
});

describe('outbox sender: channel choice and RCS → SMS fallback', () => {
  const rcs = { channel: 'rcs' as const, provider: 'rbm' as const };

  it('sends by SMS when the number is not reachable by RCS (capability 404)', async () => {
    const current = await setup(['rbm', 'twilio']);
    apis.override((call) => (/\/capabilities\?/.test(call.path) ? { status: 404, json: { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } } } : undefined));
    const caseId = await patientWrites('Can I bring flowers?', rcs);
    await reply(caseId, 'Not on this ward, sorry.');
    await current.outbox.runDue();
    expect(apis.callsTo(/\/capabilities\?/, 'GET')).toHaveLength(1);
    expect(apis.callsTo(RBM_SEND)).toHaveLength(0);
    expect(apis.callsTo(TWILIO_SEND)).toHaveLength(1);
    expect(await outboundMessage(caseId)).toMatchObject({ provider: 'twilio', channel: 'sms' });
  });

  it('sends RCS with our UUID as messageId, recorded before the call, and finishes on a DELIVERED event', async () => {
    const current = await setup(['rbm', 'twilio']);
    const caseId = await patientWrites('Can I visit?', rcs);
    await reply(caseId, 'Reply YES to confirm, or NO to reschedule.', 'appointment_confirm');
    await current.outbox.runDue();
    const row = await outboxRow(caseId);
    const [sent] = apis.callsTo(RBM_SEND, 'POST');
    expect(sent?.path).toContain(`messageId=${row.id}`);
    expect(sent?.headers.authorization).toBe('Bearer ya29.fake');
    expect(JSON.parse(sent?.body ?? '{}')).toEqual({
      contentMessage: {
        text: 'Reply YES to confirm, or NO to reschedule.',
        suggestions: [{ reply: { text: 'Yes', postbackData: 'confirm' } }, { reply: { text: 'No', postbackData: 'reschedule' } }],
      },
    });
    expect(row).toMatchObject({ state: 'awaiting_delivery', provider: 'rbm', provider_message_id: row.id, deliver_by: T0 + RCS_TIMEOUT });
    expect(await applyDeliveryStatus(current.store, { provider: 'rbm', providerMessageId: row.id, state: 'delivered', providerStatus: 'DELIVERED', occurredAt: T0 })).toBe('applied');
    clock.advance(RCS_TIMEOUT);
    await current.outbox.runDue();
    expect(apis.callsTo(RBM_REVOKE, 'DELETE')).toHaveLength(0);
    expect(apis.callsTo(TWILIO_SEND)).toHaveLength(0);
    expect(await outboxRow(caseId)).toMatchObject({ state: 'sent' });
  });

  it('revokes RCS not delivered in time and sends the SMS instead', async () => {
    const current = await setup(['rbm', 'twilio']);
    const caseId = await patientWrites('Is Dad settled?', rcs);
    await reply(caseId, 'He is comfortable and asleep.');
    await current.outbox.runDue();
    const rbmId = (await outboxRow(caseId)).id;
    clock.advance(RCS_TIMEOUT - 1);
    await current.outbox.runDue();
    expect(apis.callsTo(RBM_REVOKE, 'DELETE')).toHaveLength(0);
    clock.advance(1);
    await current.outbox.runDue();
    expect(apis.callsTo(RBM_REVOKE, 'DELETE').map((call) => call.path)).toEqual([`/v1/phones/${PATIENT}/agentMessages/${rbmId}?agentId=clarion-ward-agent`]);
    expect(new URLSearchParams(apis.callsTo(TWILIO_SEND)[0]?.body).get('Body')).toBe('He is comfortable and asleep.');
    expect(await outboxRow(caseId)).toMatchObject({ state: 'sent', send_channel: 'sms', fallback_from: 'rcs', provider: 'twilio' });
    expect(await outboundMessage(caseId)).toMatchObject({ provider: 'twilio', channel: 'sms', delivery_state: 'accepted' });
    // A late RBM receipt for the revoked message no longer matches anything.
    expect(await applyDeliveryStatus(current.store, { provider: 'rbm', providerMessageId: rbmId, state: 'delivered', providerStatus: 'DELIVERED', occurredAt: T0 })).toBe('unknown_message');
    const audit = await current.store.db.selectFrom('audit').select('action').where('case_id', '=', caseId).execute();
    expect(audit.map((entry) => entry.action)).toEqual(expect.arrayContaining(['rcs.revoked', 'reply.sent']));
  });

  it('keeps a revoked RCS reply on SMS when that SMS has to be retried, rather than choosing RCS again', async () => {
    const current = await setup(['rbm', 'twilio']);
    let faults = 1;
    apis.override((call) => (TWILIO_SEND.test(call.path) && faults-- > 0 ? { status: 503, json: { code: 20500, message: 'Internal Server Error' } } : undefined));
    const caseId = await patientWrites('Has the doctor been?', rcs);
    await reply(caseId, 'Not yet, they are on the ward now.');
    await current.outbox.runDue();
    clock.advance(RCS_TIMEOUT);
    expect([...(await current.outbox.runDue()).values()]).toEqual(['retry']);
    expect(await outboxRow(caseId)).toMatchObject({ state: 'pending', fallback_from: 'rcs' });

    clock.advance(60_000);
    expect([...(await current.outbox.runDue()).values()]).toEqual(['sent']);
    expect(apis.callsTo(RBM_SEND, 'POST')).toHaveLength(1);
    expect(apis.callsTo(TWILIO_SEND, 'POST')).toHaveLength(2);
    expect(await outboxRow(caseId)).toMatchObject({ state: 'sent', send_channel: 'sms', fallback_from: 'rcs' });
  });

  it('does not send the SMS when the revoke loses the race (RBM: no longer pending)', async () => {
    const current = await setup(['rbm', 'twilio']);
    apis.override((call) => (call.method === 'DELETE' ? { status: 404, json: { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } } } : undefined));
    const caseId = await patientWrites('Any update?', rcs);
    await reply(caseId, 'The scan is at 3pm.');
    await current.outbox.runDue();
    clock.advance(RCS_TIMEOUT);
    await current.outbox.runDue();
    expect(apis.callsTo(RBM_REVOKE, 'DELETE')).toHaveLength(1);
    expect(apis.callsTo(TWILIO_SEND)).toHaveLength(0);
    expect(await outboxRow(caseId)).toMatchObject({ state: 'sent', send_channel: 'rcs', fallback_from: null });
    const audit = await current.store.db.selectFrom('audit').select('action').where('case_id', '=', caseId).execute();
    expect(audit.map((entry) => entry.action)).toContain('rcs.revoke_lost');
  });

  it('does not send the SMS when a DELIVERED event lands while the revoke is in flight', async () => {
    const current = await setup(['rbm', 'twilio']);
    const caseId = await patientWrites('Any update?', rcs);
    await reply(caseId, 'The scan is at 3pm.');
    await current.outbox.runDue();
    const rbmId = (await outboxRow(caseId)).id;
    // The handset takes the message just as Clarion revokes it: Google answers the DELETE, the DELIVERED event wins.
    apis.override((call) => {
      if (call.method !== 'DELETE') return undefined;
      void applyDeliveryStatus(current.store, { provider: 'rbm', providerMessageId: rbmId, state: 'delivered', providerStatus: 'DELIVERED', occurredAt: T0 });
      return undefined;
    });
    clock.advance(RCS_TIMEOUT);
    // Let the receipt commit before the sender re-reads the message (the write queue is shared and ordered).
    const [outcomes] = await Promise.all([current.outbox.runDue()]);
    expect([...outcomes.values()]).toEqual(['delivered']);
    expect(apis.callsTo(TWILIO_SEND)).toHaveLength(0);
    expect((await outboundMessage(caseId)).delivery_state).toBe('delivered');
  });

  it('falls back to SMS when RCS refuses the message for good', async () => {
    const current = await setup(['rbm', 'twilio']);
    apis.override((call) => (RBM_SEND.test(call.path) ? { status: 400, json: { error: { code: 400, message: 'Invalid', status: 'INVALID_ARGUMENT' } } } : undefined));
    const caseId = await patientWrites('Hi', rcs);
    await reply(caseId, 'Hello from the ward.');
    await current.outbox.runDue();
    expect(apis.callsTo(TWILIO_SEND)).toHaveLength(1);
    expect(await outboundMessage(caseId)).toMatchObject({ provider: 'twilio', channel: 'sms' });
  });

  it('writes WhatsApp freely inside the 24-hour window, with reply buttons for a question', async () => {
    const current = await setup(['whatsapp', 'twilio']);
    const caseId = await patientWrites('Is my appointment still on?', { channel: 'whatsapp', provider: 'whatsapp' });
    await patientLastWrote(23 * 3_600_000);
    await reply(caseId, 'Reply YES to confirm, or NO to reschedule.', 'appointment_confirm');
    await current.outbox.runDue();
    const [sent] = apis.callsTo(WHATSAPP_SEND, 'POST');
    expect(JSON.parse(sent?.body ?? '{}')).toMatchObject({
      to: PATIENT.slice(1),
      type: 'interactive',
      interactive: { type: 'button', action: { buttons: [{ type: 'reply', reply: { id: 'confirm', title: 'Yes' } }, { type: 'reply', reply: { id: 'reschedule', title: 'No' } }] } },
    });
    expect(apis.callsTo(TWILIO_SEND)).toHaveLength(0);
    expect(await outboundMessage(caseId)).toMatchObject({ provider: 'whatsapp', channel: 'whatsapp' });
  });

  it('outside the WhatsApp window sends SMS, or the approved template when one is set up', async () => {
    let current = await setup(['whatsapp', 'twilio']);
    let caseId = await patientWrites('Thanks', { channel: 'whatsapp', provider: 'whatsapp' });
    await patientLastWrote(24 * 3_600_000);
    await reply(caseId, 'You are welcome.');
    await current.outbox.runDue();
    expect(apis.callsTo(WHATSAPP_SEND)).toHaveLength(0);
    expect(apis.callsTo(TWILIO_SEND)).toHaveLength(1);
    desk?.close();
    await current.close();
    removeDir(current.config.dataDir);

    current = await setup(['whatsapp', 'twilio'], { whatsappTemplate: { name: 'ward_reply', languageCode: 'en_GB' } });
    caseId = await patientWrites('Thanks', { channel: 'whatsapp', provider: 'whatsapp' });
    await patientLastWrote(25 * 3_600_000);
    await reply(caseId, 'You are welcome.');
    await current.outbox.runDue();
    expect(JSON.parse(apis.callsTo(WHATSAPP_SEND)[0]?.body ?? '{}')).toMatchObject({
      type: 'template',
      template: { name: 'ward_reply', language: { code: 'en_GB' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'You are welcome.' }] }] },
    });
    expect(apis.callsTo(TWILIO_SEND)).toHaveLength(0);
  });

  it('falls back to SMS when WhatsApp says the window has closed (131047)', async () => {
    const current = await setup(['whatsapp', 'twilio']);
    apis.override((call) => (WHATSAPP_SEND.test(call.path) ? { status: 400, json: { error: { code: 131047, message: 'Re-engagement message' } } } : undefined));
    const caseId = await patientWrites('Hello', { channel: 'whatsapp', provider: 'whatsapp' });
    await reply(caseId, 'Hello from the ward.');
    await current.outbox.runDue();
    expect(apis.callsTo(WHATSAPP_SEND)).toHaveLength(1);
    expect(apis.callsTo(TWILIO_SEND)).toHaveLength(1);
    expect(await outboundMessage(caseId)).toMatchObject({ provider: 'twilio', channel: 'sms' });
  });
});
