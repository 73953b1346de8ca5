// H6: a reply that does not reach the family marks its case and alerts its author — a real hub on a real port, real
// socket.io desks, a temp SQLite file, the carriers' APIs stood in for by the fake (their wire formats), and Twilio's
// status callbacks posted signed to the hub's webhook. Time is a ManualClock.
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseView } from '../../shared/domain';
import type { BootstrapResult, CommandResult, DeskEvent } from '../../shared/protocol';
import { loadCarrierConfig } from '../channels/carrier-config';
import { applyDeliveryStatus } from '../intake/delivery-receipts';
import { twilioSignature } from '../simulator/signing';
import { addStaff, commandId, connectDesk, type TestDesk } from '../testing/hub-harness';
import { TWILIO_ACCOUNT_SID } from './fake-carrier-apis';
import { useFakeCarrierApis } from './use-fake-carrier-apis';
import { startOutboundHub, PATIENT, T0, type OutboundTestHub } from './outbound-test-hub';

const CONFIRM_MS = 30 * 60_000;

const apis = useFakeCarrierApis();
let rig: OutboundTestHub | undefined;
const extraDesks: TestDesk[] = [];

afterEach(async () => {
  for (const desk of extraDesks.splice(0)) desk.close();
  await rig?.close();
  rig = undefined;
});

async function setup(enabled: Parameters<typeof startOutboundHub>[1] = ['twilio']): Promise<OutboundTestHub> {
  rig = await startOutboundHub(apis, enabled, { deliveryConfirmMs: { sms: CONFIRM_MS, whatsapp: CONFIRM_MS } });
  return rig;
}

async function colleague(hub: OutboundTestHub, username: string, role: 'outreach' | 'pals_officer'): Promise<TestDesk> {
  await addStaff(hub.hub, username, role);
  const desk = await connectDesk(hub.hub, username);
  extraDesks.push(desk);
  return desk;
}

function emit<T>(desk: TestDesk, name: string, payload: unknown): Promise<T> {
  return new Promise((resolve) => (desk.socket.emit as (event: string, payload: unknown, ack: (result: T) => void) => void)(name, payload, resolve));
}

async function caseRow(hub: OutboundTestHub, caseId: string) {
  return hub.hub.store.db.selectFrom('cases').select(['status', 'version', 'reply_undelivered']).where('id', '=', caseId).executeTakeFirstOrThrow();
}

async function lastOutbound(hub: OutboundTestHub, caseId: string) {
  return hub.hub.store.db.selectFrom('messages').selectAll().where('case_id', '=', caseId).where('direction', '=', 'outbound').orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
}

async function auditActions(hub: OutboundTestHub, caseId: string): Promise<string[]> {
  return (await hub.hub.store.db.selectFrom('audit').select('action').where('case_id', '=', caseId).orderBy('id').execute()).map((row) => row.action);
}

/** Twilio's status callback, signed as Twilio signs it, posted to the hub's webhook. */
async function twilioCallback(hub: OutboundTestHub, sid: string, status: string, errorCode?: string): Promise<number> {
  const params: [string, string][] = [['AccountSid', TWILIO_ACCOUNT_SID], ['MessageSid', sid], ['MessageStatus', status], ['To', PATIENT], ['ApiVersion', '2010-04-01']];
  if (errorCode !== undefined) params.push(['ErrorCode', errorCode]);
  const response = await fetch(`${hub.hub.url}/webhooks/twilio/status`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature('twilio-auth-token-0123456789abcdef', 'https://clarion.example.nhs.uk/webhooks/twilio/status', params),
    },
    body: new URLSearchParams(params).toString(),
  });
  return response.status;
}

const undelivered = (caseId: string) => (event: DeskEvent) => event.type === 'reply.undelivered' && event.case.id === caseId;

describe('replies not delivered: a mark on the case and an alert for the author', () => {
  it('marks the case and alerts the author when a reply fails after every fallback (WhatsApp, then SMS)', async () => {
    const hub = await setup(['whatsapp', 'twilio']);
    const olly = await colleague(hub, 'olly', 'outreach');
    const pat = await colleague(hub, 'pat2', 'pals_officer');
    const caseId = await hub.patientWrites('Is dad settled?', { channel: 'whatsapp', provider: 'whatsapp' });
    expect(await hub.reply(caseId, 'Yes, he is asleep.')).toMatchObject({ ok: true });
    await hub.hub.outbox.runDue();
    const onWhatsApp = await lastOutbound(hub, caseId);
    expect(onWhatsApp).toMatchObject({ provider: 'whatsapp', channel: 'whatsapp' });

    // Meta took it, then failed it in a way SMS may get round: the reply goes again by SMS — not yet a mark.
    const failedWhatsApp = { provider: 'whatsapp' as const, providerMessageId: onWhatsApp.provider_message_id ?? '', state: 'failed' as const, providerStatus: 'failed', errorCode: '131026', fallbackSuggested: true, occurredAt: T0 };
    expect(await applyDeliveryStatus(hub.hub.store, failedWhatsApp)).toBe('applied');
    expect((await caseRow(hub, caseId)).reply_undelivered).toBeNull();
    await hub.hub.outbox.runDue();
    const onSms = await lastOutbound(hub, caseId);
    expect(onSms).toMatchObject({ provider: 'twilio', channel: 'sms', delivery_state: 'accepted' });

    // SMS is the last channel: Twilio reports it undelivered (30003), and nothing is left to try.
    expect(await twilioCallback(hub, onSms.provider_message_id ?? '', 'undelivered', '30003')).toBeLessThan(300);
    const reason = 'Not delivered: the phone is switched off, has no signal or cannot take texts (Twilio error 30003).';
    const mark = JSON.parse((await caseRow(hub, caseId)).reply_undelivered ?? 'null') as unknown;
    expect(mark).toEqual({ messageId: onSms.id, channel: 'sms', reason, authorId: hub.desk.userId, at: T0 });

    // The author's desk gets it addressed to them; a colleague who sees the queue gets the case with the mark.
    const forAuthor = await hub.desk.waitFor(undelivered(caseId));
    expect(forAuthor.alert).toEqual({ kind: 'reply_undelivered', level: 0, cycle: 0, targets: [hub.desk.userId] });
    expect(forAuthor.case.replyUndelivered).toMatchObject({ channel: 'sms', reason });
    expect((await olly.waitFor(undelivered(caseId))).case.replyUndelivered?.messageId).toBe(onSms.id);
    // PALS does not see the outreach queue, so is not told.
    await olly.waitFor((event) => event.type === 'delivery.updated' && event.message?.deliveryState === 'failed');
    expect(pat.events.some((event) => event.case.id === caseId)).toBe(false);
    expect(await auditActions(hub, caseId)).toContain('reply.undelivered');
  });

  it('marks the case when an accepted SMS has no delivery report by its deadline, once', async () => {
    const hub = await setup();
    const caseId = await hub.patientWrites('Can I bring flowers?');
    await hub.reply(caseId, 'Not on this ward, sorry.');
    await hub.hub.outbox.runDue();
    const sms = await lastOutbound(hub, caseId);
    expect(sms.delivery_state).toBe('accepted');
    expect(await twilioCallback(hub, sms.provider_message_id ?? '', 'sent')).toBeLessThan(300);

    hub.clock.advance(CONFIRM_MS - 1);
    expect([...(await hub.hub.outbox.runDue()).values()]).toEqual([]);
    expect((await caseRow(hub, caseId)).reply_undelivered).toBeNull();

    const { version } = await caseRow(hub, caseId);
    hub.clock.advance(1);
    expect([...(await hub.hub.outbox.runDue()).values()]).toEqual(['unconfirmed']);
    const event = await hub.desk.waitFor(undelivered(caseId));
    // The case changed, so its version did: a desk replaces its copy only with a newer one.
    expect(event.case.version).toBe(version + 1);
    expect(event.case.replyUndelivered).toMatchObject({
      messageId: sms.id,
      channel: 'sms',
      reason: 'Not confirmed delivered: Twilio took it by SMS 30 minutes ago and has not reported it delivered. The family may not have it.',
    });
    // The message itself is not failed: it may still arrive, and a late delivered receipt would clear the mark.
    expect((await lastOutbound(hub, caseId)).delivery_state).toBe('sent');
    // Settled once: the next poll finds nothing, even much later.
    hub.clock.advance(CONFIRM_MS);
    expect([...(await hub.hub.outbox.runDue()).values()]).toEqual([]);
    expect((await auditActions(hub, caseId)).filter((action) => action === 'reply.undelivered')).toHaveLength(1);

    // The late receipt: delivered after all. The mark goes, and the delivery's event shows the case without it.
    expect(await twilioCallback(hub, sms.provider_message_id ?? '', 'delivered')).toBeLessThan(300);
    expect((await caseRow(hub, caseId)).reply_undelivered).toBeNull();
    const delivered = await hub.desk.waitFor((candidate) => candidate.type === 'delivery.updated' && candidate.message?.deliveryState === 'delivered');
    expect(delivered.case.replyUndelivered ?? null).toBeNull();
    expect(await auditActions(hub, caseId)).toContain('reply_undelivered.cleared');
  });

  it('does not mark a reply whose delivered receipt came before the deadline', async () => {
    const hub = await setup();
    const caseId = await hub.patientWrites('Is the ward open?');
    await hub.reply(caseId, 'Yes.');
    await hub.hub.outbox.runDue();
    const sms = await lastOutbound(hub, caseId);
    expect(await twilioCallback(hub, sms.provider_message_id ?? '', 'delivered')).toBeLessThan(300);

    hub.clock.advance(CONFIRM_MS);
    expect([...(await hub.hub.outbox.runDue()).values()]).toEqual(['reported']);
    expect((await caseRow(hub, caseId)).reply_undelivered).toBeNull();
    expect(hub.desk.events.some(undelivered(caseId))).toBe(false);
  });

  it("keeps a resolved case's undelivered reply in sight: marked, in the inbox of a desk that signs in later", async () => {
    const hub = await setup();
    const caseId = await hub.patientWrites('Please call me back');
    await hub.reply(caseId, 'Dr Shah will call at 3pm.');
    await hub.hub.outbox.runDue();
    const sms = await lastOutbound(hub, caseId);
    const { version } = await caseRow(hub, caseId);
    const resolved = await emit<CommandResult>(hub.desk, 'resolve', { commandId: commandId(), caseId, version, outcome: 'review_done' });
    expect(resolved).toMatchObject({ ok: true, case: { status: 'resolved' } });

    expect(await twilioCallback(hub, sms.provider_message_id ?? '', 'failed', '21211')).toBeLessThan(300);
    expect(await caseRow(hub, caseId)).toMatchObject({ status: 'resolved' });
    expect((await hub.desk.waitFor(undelivered(caseId))).case).toMatchObject({ status: 'resolved', replyUndelivered: { messageId: sms.id } });

    // A colleague who signs in afterwards finds it among the cases to deal with, though it is resolved.
    const later = await colleague(hub, 'olly', 'outreach');
    const boot = await emit<BootstrapResult>(later, 'bootstrap', {});
    if (!boot.ok) throw new Error('bootstrap refused');
    const listed: CaseView | undefined = boot.cases.find((view) => view.id === caseId);
    expect(listed).toMatchObject({ status: 'resolved', replyUndelivered: { reason: 'Not delivered: the number is not a valid phone number (Twilio error 21211).' } });
  });

  it('clears the mark when staff dismiss it, audited, with what they did on the thread; bad dismissals change nothing', async () => {
    const hub = await setup();
    const caseId = await hub.patientWrites('Any news?');
    await hub.reply(caseId, 'We will ring you.');
    await hub.hub.outbox.runDue();
    const sms = await lastOutbound(hub, caseId);
    await twilioCallback(hub, sms.provider_message_id ?? '', 'undelivered', '30003');
    const before = await caseRow(hub, caseId);
    expect(before.reply_undelivered).not.toBeNull();
    const auditBefore = await auditActions(hub, caseId);
    const dismiss = (payload: Record<string, unknown>) =>
      emit<CommandResult>(hub.desk, 'dismiss_undelivered', { commandId: commandId(), caseId, version: before.version, messageId: sms.id, note: 'Phoned the family', ...payload });

    expect(await dismiss({ note: '   ' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await dismiss({ note: 'x'.repeat(501) })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await dismiss({ messageId: 42 })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await dismiss({ messageId: 'not-the-marked-reply' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await dismiss({ version: before.version - 1 })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await caseRow(hub, caseId)).toEqual(before);
    expect(await auditActions(hub, caseId)).toEqual(auditBefore);

    const done = await dismiss({});
    expect(done).toMatchObject({ ok: true, case: { version: before.version + 1, replyUndelivered: null } });
    expect((await caseRow(hub, caseId)).reply_undelivered).toBeNull();
    const audit = await hub.hub.store.db.selectFrom('audit').selectAll().where('case_id', '=', caseId).where('action', '=', 'reply_undelivered.dismissed').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_type: 'user', actor_id: hub.desk.userId });
    expect(JSON.parse(audit.detail)).toMatchObject({ messageId: sms.id, channel: 'sms' });
    const event = await hub.desk.waitFor((candidate) => candidate.type === 'reply.undelivered_dismissed');
    expect(event.message).toMatchObject({ direction: 'note', body: 'Phoned the family', authorId: hub.desk.userId });

    // Nothing left to dismiss: refused, and nothing changes.
    const after = await caseRow(hub, caseId);
    expect(await dismiss({ version: after.version })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await caseRow(hub, caseId)).toEqual(after);
  });

  it('clears the mark when a later reply to the family is delivered', async () => {
    const hub = await setup();
    const caseId = await hub.patientWrites('Hello?');
    await hub.reply(caseId, 'First try.');
    await hub.hub.outbox.runDue();
    const first = await lastOutbound(hub, caseId);
    await twilioCallback(hub, first.provider_message_id ?? '', 'undelivered', '30003');
    expect((await caseRow(hub, caseId)).reply_undelivered).not.toBeNull();

    await hub.reply(caseId, 'Second try.');
    await hub.hub.outbox.runDue();
    const second = await lastOutbound(hub, caseId);
    expect(second.id).not.toBe(first.id);
    await twilioCallback(hub, second.provider_message_id ?? '', 'delivered');
    expect((await caseRow(hub, caseId)).reply_undelivered).toBeNull();
  });
});

describe('delivery-report deadlines in the carrier settings', () => {
  it('reads them in minutes from the environment, four hours unless set, and refuses one out of range by name', () => {
    const env = { CLARION_PUBLIC_URL: 'https://clarion.example.nhs.uk' };
    expect(loadCarrierConfig(env).deliveryConfirmMs).toEqual({ sms: 4 * 3_600_000, whatsapp: 4 * 3_600_000 });
    expect(loadCarrierConfig({ ...env, DELIVERY_CONFIRM_MINUTES_SMS: '90' }).deliveryConfirmMs).toEqual({ sms: 90 * 60_000, whatsapp: 4 * 3_600_000 });
    expect(() => loadCarrierConfig({ ...env, DELIVERY_CONFIRM_MINUTES_WHATSAPP: '5' })).toThrow(/DELIVERY_CONFIRM_MINUTES_WHATSAPP/);
  });
});
