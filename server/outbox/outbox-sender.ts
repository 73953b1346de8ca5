// The outbox sender (invariant 7): takes due rows from the outbox, claims each by compare-and-set so two hubs never
// send one row twice, picks the channel, sends with the carrier's client, and records what happened on the message so
// the carrier's receipts find it. Failures are retried with back-off and jitter up to a bound, then shown to staff.
// RCS that is not delivered in time is revoked and sent by SMS, unless the revoke shows it was delivered after all.
// A reply that fails for good, or an SMS or WhatsApp send with no delivery report in time, marks its case
// (reply-undelivered.ts) so staff see that the family was not reached.
import type { Channel, DeliveryState } from '../../shared/domain';
import { ChannelSchema, DeliveryStateSchema } from '../../shared/domain';
import { AskedQuestionSchema, type ReplyOption } from '../../shared/reply-intent';
import { supersedes } from '../channels/delivery-order';
import type { SendFailure, SendResult } from '../channels/outbound/send-result';
import type { Clock } from '../clock';
import { carrierOptOutReason, recordCarrierOptOut } from '../consent/carrier-opt-out';
import { optedOutChannels } from '../consent/consent-records';
import type { Logger } from '../observability/logger';
import { appendAudit } from '../store/audit-log';
import { getCaseView, toMessageView } from '../store/case-views';
import { appendEvent } from '../store/event-log';
import type { Store } from '../store/open-store';
import type { OutboxRow } from '../store/schema';
import type { WriteUnit } from '../store/write-queue';
import { DEFAULT_BACKOFF, retryDelay, type BackoffPolicy } from './backoff';
import type { OutboundCarriers } from './carrier-clients';
import { chooseChannels, type SendPlan } from './channel-choice';
import type { EarlyReceipts } from './early-receipts';
import { markReplyUndelivered } from './reply-undelivered';

export interface OutboxSenderOptions {
  clock: Clock;
  carriers: OutboundCarriers;
  /** Attempts before a message is marked failed. @default 6 */
  maxAttempts?: number;
  /** @default DEFAULT_BACKOFF (5 s doubling to 10 min) */
  backoff?: BackoffPolicy;
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
  /** RCS not delivered within this is revoked and sent by SMS. @default 600_000 (10 minutes) */
  rcsDeliveryTimeoutMs?: number;
  /**
   * An SMS or WhatsApp send the carrier took with no delivery report (delivered, read, failed) within this marks its
   * case as not delivered. RCS has its own timeout (above), after which it goes by SMS. @default DEFAULT_CONFIRM_MS
   */
  deliveryConfirmMs?: Partial<Record<'sms' | 'whatsapp', number>>;
  /** A row claimed longer ago than this (its hub died mid-send) is taken again. @default 120_000 */
  claimLeaseMs?: number;
  /** Rows taken per poll. @default 50 */
  batchSize?: number;
  log?: Logger;
  /** Receipts that arrived before the carrier's id was recorded, applied once it is (early-receipts.ts). */
  earlyReceipts?: EarlyReceipts;
}

/** pending → sending → sent | awaiting_delivery (RCS) → sent; → pending again on a retryable failure; → failed. */
export type OutboxState = 'pending' | 'sending' | 'awaiting_delivery' | 'sent' | 'failed';
const DUE_STATES: readonly OutboxState[] = ['pending', 'sending', 'awaiting_delivery'];

export type RowOutcome = 'sent' | 'awaiting_delivery' | 'retry' | 'failed' | 'delivered' | 'not_claimed' | 'unconfirmed' | 'reported';

const DELIVERED: readonly DeliveryState[] = ['delivered', 'read'];
/** Reports that settle a send: it arrived, or the carrier said it will not (and that marked the case already). */
const REPORTED: readonly DeliveryState[] = ['delivered', 'read', 'failed', 'expired'];

/** Four hours: UK carriers report SMS within minutes; a handset off overnight is not yet a reason to phone. */
export const DEFAULT_CONFIRM_MS = { sms: 4 * 3_600_000, whatsapp: 4 * 3_600_000 } as const;

const CARRIER_NAMES: Record<string, string> = { twilio: 'Twilio', whatsapp: 'WhatsApp', notify: 'GOV.UK Notify', rbm: 'RBM', dev: 'the development carrier' };
const CHANNEL_NAMES: Record<Channel, string> = { sms: 'SMS', whatsapp: 'WhatsApp', rcs: 'RCS' };

function hoursAndMinutes(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `${hours} hour${hours === 1 ? '' : 's'}${rest === 0 ? '' : ` ${rest} min`}`;
}

export class OutboxSender {
  private readonly maxAttempts: number;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private readonly rcsDeliveryTimeoutMs: number;
  private readonly claimLeaseMs: number;
  private readonly batchSize: number;
  private readonly confirmMs: Record<'sms' | 'whatsapp', number>;
  private running: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly options: OutboxSenderOptions,
  ) {
    this.maxAttempts = options.maxAttempts ?? 6;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.rcsDeliveryTimeoutMs = options.rcsDeliveryTimeoutMs ?? 600_000;
    this.claimLeaseMs = options.claimLeaseMs ?? 120_000;
    this.batchSize = options.batchSize ?? 50;
    this.confirmMs = { ...DEFAULT_CONFIRM_MS, ...options.deliveryConfirmMs };
  }

  /** Polls every `intervalMs` (real time); what is due is decided by the injected clock. */
  start(intervalMs: number): void {
    if (this.timer !== undefined || this.stopped) return;
    const tick = (): void => {
      this.runDue()
        .catch((error: unknown) => this.options.log?.error({ err: error }, '[outbox] poll failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.running.catch(() => {});
  }

  /** Sends everything due now, one poll's worth; calls on one sender run one after another. */
  runDue(): Promise<Map<string, RowOutcome>> {
    const run = this.running.catch(() => {}).then(() => this.runOnce());
    this.running = run;
    return run;
  }

  private async runOnce(): Promise<Map<string, RowOutcome>> {
    const now = this.options.clock.now();
    const due = await this.store.db
      .selectFrom('outbox')
      .select(['id', 'state', 'next_attempt_at'])
      .where('state', 'in', DUE_STATES)
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(this.batchSize)
      .execute();
    const outcomes = new Map<string, RowOutcome>();
    for (const candidate of due) outcomes.set(candidate.id, await this.process(candidate));
    for (const [id, outcome] of await this.confirmDue(now)) outcomes.set(id, outcome);
    return outcomes;
  }

  /**
   * Sends whose delivery report is overdue. Each is settled in one transaction: the deadline is taken by compare-and-set
   * (so two hubs, or a repeat, settle it once), and the case is marked only if no report has come — a delivered, read,
   * failed or expired one (delivery states only move forward) means there is nothing to add.
   */
  private async confirmDue(now: number): Promise<Map<string, RowOutcome>> {
    const due = await this.store.db
      .selectFrom('outbox')
      .select(['id', 'confirm_by'])
      .where('confirm_by', '<=', now)
      .orderBy('confirm_by')
      .limit(this.batchSize)
      .execute();
    const outcomes = new Map<string, RowOutcome>();
    for (const { id, confirm_by: confirmBy } of due) {
      if (confirmBy === null) continue;
      outcomes.set(id, await this.store.writes.run((unit) => this.settleUnconfirmed(unit, id, confirmBy)));
    }
    return outcomes;
  }

  private async settleUnconfirmed(unit: WriteUnit, outboxId: string, confirmBy: number): Promise<RowOutcome> {
    const taken = await unit.trx.updateTable('outbox').set({ confirm_by: null, updated_at: unit.now }).where('id', '=', outboxId).where('confirm_by', '=', confirmBy).executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) return 'not_claimed';
    const row = await unit.trx.selectFrom('outbox').selectAll().where('id', '=', outboxId).executeTakeFirstOrThrow();
    const message = await unit.trx.selectFrom('messages').select('delivery_state').where('id', '=', row.message_id).executeTakeFirstOrThrow();
    const state = DeliveryStateSchema.parse(message.delivery_state ?? 'queued');
    // Requeued (WhatsApp failed over to SMS) or still sending: the new send sets its own deadline.
    if (row.state !== 'sent' || REPORTED.includes(state)) return 'reported';
    const channel = ChannelSchema.parse(row.send_channel ?? row.channel);
    const carrier = CARRIER_NAMES[row.provider ?? 'dev'] ?? row.provider ?? 'the carrier';
    const waited = hoursAndMinutes(unit.now - (confirmBy - (channel === 'whatsapp' ? this.confirmMs.whatsapp : this.confirmMs.sms)));
    const reason = `Not confirmed delivered: ${carrier} took it by ${CHANNEL_NAMES[channel]} ${waited} ago and has not reported it delivered. The family may not have it.`;
    await appendAudit(unit, { actorType: 'system', actorId: 'outbox', action: 'reply.unconfirmed', caseId: row.case_id, detail: { messageId: row.message_id, outboxId: row.id, provider: row.provider, channel, state } });
    await markReplyUndelivered(unit, row.message_id, reason);
    return 'unconfirmed';
  }

  private async process(candidate: { id: string; state: string; next_attempt_at: number }): Promise<RowOutcome> {
    const row = await this.claim(candidate);
    if (row === undefined) return 'not_claimed';
    try {
      if (row.deliver_by !== null) return await this.checkRcsDelivery(row);
      // A row that fell back (RCS revoked, WhatsApp failed after it was taken) goes by SMS, its retries included.
      return await this.send(row, row.fallback_from !== null ? 'sms' : undefined);
    } catch (error) {
      // An unexpected fault (store, bug) leaves the claim to expire, so the row is tried again after the lease.
      this.options.log?.error({ err: error, outboxId: row.id, caseId: row.case_id }, '[outbox] send failed unexpectedly');
      return 'not_claimed';
    }
  }

  /**
   * Compare-and-set on (state, next_attempt_at): whoever changes them first owns the row. The new next_attempt_at is
   * the lease's end, always later than the old one (which was due), so a second claimant's condition cannot match.
   */
  private claim(candidate: { id: string; state: string; next_attempt_at: number }): Promise<OutboxRow | undefined> {
    return this.store.writes.run(async (unit) => {
      const result = await unit.trx
        .updateTable('outbox')
        .set({ state: 'sending', next_attempt_at: unit.now + this.claimLeaseMs, updated_at: unit.now })
        .where('id', '=', candidate.id)
        .where('state', '=', candidate.state)
        .where('next_attempt_at', '=', candidate.next_attempt_at)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return undefined;
      return unit.trx.selectFrom('outbox').selectAll().where('id', '=', candidate.id).executeTakeFirstOrThrow();
    });
  }

  private async send(row: OutboxRow, only?: Channel): Promise<RowOutcome> {
    const { carriers } = this.options;
    const contact = await this.store.db.selectFrom('contacts').selectAll().where('id', '=', row.contact_id).executeTakeFirstOrThrow();
    const message = await this.store.db.selectFrom('messages').select('question').where('id', '=', row.message_id).executeTakeFirstOrThrow();
    const options: ReplyOption[] = message.question === null ? [] : AskedQuestionSchema.parse(JSON.parse(message.question)).options;
    // Consent is read again now, not trusted from when the reply was queued: a STOP may have arrived since.
    const optedOut = await optedOutChannels(this.store.db, contact.id);
    const choice = chooseChannels(
      {
        caseChannel: ChannelSchema.parse(row.channel),
        preferredChannel: contact.preferred_channel === null ? null : ChannelSchema.parse(contact.preferred_channel),
        lastInboundAt: contact.last_inbound_at,
        lastInboundChannel: contact.last_inbound_channel === null ? null : ChannelSchema.parse(contact.last_inbound_channel),
        optedOut,
        ignoreConsent: row.kind === 'keyword_answer',
        providerFor: (channel) => carriers.providerFor(channel),
        hasWhatsAppTemplate: carriers.whatsappTemplate !== undefined,
        now: this.options.clock.now(),
      },
      only,
    );
    const passedOver = [...choice.passedOver];
    const attempt = row.attempts + 1;
    for (const plan of choice.plans) {
      const result = await this.sendBy(plan, row, options, passedOver);
      if (result === undefined) continue;
      if (result.ok) {
        const outcome = await this.markSent(row, plan.channel, result.providerMessageId, attempt);
        await this.releaseEarlyReceipts(row, plan.channel, result.providerMessageId);
        return outcome;
      }
      // The carrier says they opted out with it: no other channel may be tried, and Clarion's records must say so too.
      if (result.optedOut === true) return this.failOptedOut(row, attempt, plan.channel, result);
      // RCS that fails for good, or a channel that cannot reach this person, hands over to the next channel (SMS).
      if (result.fallbackSuggested === true || (plan.channel === 'rcs' && !result.retryable)) {
        passedOver.push(`${plan.channel}: ${result.reason}`);
        continue;
      }
      return this.retryOrFail(row, attempt, result.retryable, result.reason);
    }
    return this.fail(row, attempt, `Not sent: ${passedOver.join('; ') || 'no channel could carry it'}.`);
  }

  /**
   * Applies receipts that overtook the API's answer. The send is committed by now, so a failure here (the store) is not
   * the send's: its outcome stands, and the hub's sweep (EarlyReceipts.startSweeping) applies what is still held.
   */
  private async releaseEarlyReceipts(row: OutboxRow, channel: Channel, providerMessageId: string): Promise<void> {
    const provider = this.options.carriers.providerFor(channel) ?? 'dev';
    try {
      await this.options.earlyReceipts?.release(provider, providerMessageId);
    } catch (error) {
      this.options.log?.warn(
        { err: error, outboxId: row.id, caseId: row.case_id, provider, providerMessageId },
        '[outbox] sent, but receipts that arrived before the answer could not be applied yet: the sweep will apply them',
      );
    }
  }

  /** undefined: this channel was passed over without a send (RCS not capable). */
  private async sendBy(plan: SendPlan, row: OutboxRow, options: readonly ReplyOption[], passedOver: string[]): Promise<SendResult | undefined> {
    const { carriers } = this.options;
    switch (plan.channel) {
      case 'rcs': {
        const capability = await carriers.checkRcs(row.to_address);
        if (!capability.ok || !capability.rcsCapable) {
          passedOver.push(capability.ok ? 'the number is not reachable by RCS' : `RCS capability unknown (${capability.reason})`);
          return undefined;
        }
        // The messageId is ours (the outbox id), recorded before the call: a DELIVERED event that overtakes the API's
        // answer still finds the message, and a retry after a lost answer is ignored by RBM as a repeat.
        await this.recordProviderId(row, 'rcs', 'rbm', row.id);
        return carriers.sendRcs(row.to_address, row.id, row.body, options);
      }
      case 'whatsapp':
        return carriers.sendWhatsApp(row.to_address, row.body, plan.template ? [] : options, plan.template);
      case 'sms':
        // Notify echoes the outbox id as its reference; Twilio and Notify get the option words in the text itself.
        return carriers.sendSms(row.to_address, row.body, row.id);
      default: {
        const unexpected: never = plan;
        throw new Error(`unhandled send plan ${JSON.stringify(unexpected)}`);
      }
    }
  }

  private recordProviderId(row: OutboxRow, channel: Channel, provider: string, providerMessageId: string): Promise<void> {
    return this.store.writes.run(async (unit) => {
      await unit.trx.updateTable('outbox').set({ provider, provider_message_id: providerMessageId, updated_at: unit.now }).where('id', '=', row.id).execute();
      await unit.trx.updateTable('messages').set({ provider, provider_message_id: providerMessageId, channel }).where('id', '=', row.message_id).execute();
    });
  }

  private markSent(row: OutboxRow, channel: Channel, providerMessageId: string, attempt: number): Promise<RowOutcome> {
    const provider = this.options.carriers.providerFor(channel) ?? 'dev';
    const awaiting = channel === 'rcs';
    return this.store.writes.run(async (unit) => {
      const deliverBy = awaiting ? unit.now + this.rcsDeliveryTimeoutMs : null;
      // RCS has its own deadline (deliver_by, then SMS); SMS and WhatsApp must report delivery by this, or the case is marked.
      const confirmBy = channel === 'rcs' ? null : unit.now + this.confirmMs[channel];
      await unit.trx
        .updateTable('outbox')
        .set({
          state: awaiting ? 'awaiting_delivery' : 'sent',
          attempts: attempt,
          provider,
          provider_message_id: providerMessageId,
          send_channel: channel,
          deliver_by: deliverBy,
          confirm_by: confirmBy,
          next_attempt_at: deliverBy ?? unit.now,
          last_error: null,
          updated_at: unit.now,
        })
        .where('id', '=', row.id)
        .execute();
      const message = await unit.trx.selectFrom('messages').selectAll().where('id', '=', row.message_id).executeTakeFirstOrThrow();
      const current = DeliveryStateSchema.parse(message.delivery_state ?? 'queued');
      // A receipt may already have overtaken the API's answer (RCS); never move a state backwards.
      const state: DeliveryState = current === 'queued' || supersedes(current === 'received' ? undefined : current, 'accepted') ? 'accepted' : current;
      const updated = { ...message, provider, provider_message_id: providerMessageId, channel, delivery_state: state, delivery_error: null };
      await unit.trx
        .updateTable('messages')
        .set({ provider, provider_message_id: providerMessageId, channel, delivery_state: state, delivery_error: null })
        .where('id', '=', message.id)
        .execute();
      await appendEvent(unit, { type: 'delivery.updated', actorId: null, case: await getCaseView(unit.trx, row.case_id), message: toMessageView(updated) });
      await appendAudit(unit, {
        actorType: 'system',
        actorId: 'outbox',
        action: 'reply.sent',
        caseId: row.case_id,
        detail: { messageId: message.id, outboxId: row.id, provider, providerMessageId, channel, attempt, fallbackFrom: row.fallback_from },
      });
      return awaiting ? ('awaiting_delivery' as const) : ('sent' as const);
    });
  }

  private async retryOrFail(row: OutboxRow, attempt: number, retryable: boolean, reason: string): Promise<RowOutcome> {
    if (!retryable) return this.fail(row, attempt, `Not sent: ${reason}.`);
    if (attempt >= this.maxAttempts) return this.fail(row, attempt, `Not sent after ${attempt} attempts: ${reason}.`);
    const delay = retryDelay(attempt, this.backoff, this.random);
    await this.store.writes.run(async (unit) => {
      await unit.trx
        .updateTable('outbox')
        .set({ state: 'pending', attempts: attempt, next_attempt_at: unit.now + delay, last_error: reason, updated_at: unit.now })
        .where('id', '=', row.id)
        .execute();
    });
    this.options.log?.warn({ outboxId: row.id, caseId: row.case_id, attempt, delayMs: delay, reason }, '[outbox] send failed, will retry');
    return 'retry';
  }

  /**
   * Failed for good: the message shows why, on every desk, and the audit says so. Nothing is left to try, so the case
   * carries it until someone deals with it, and the author is told.
   */
  private fail(row: OutboxRow, attempt: number, staffReason: string): Promise<RowOutcome> {
    return this.store.writes.run(async (unit) => {
      await this.markFailed(unit, row, attempt, staffReason);
      await markReplyUndelivered(unit, row.message_id, staffReason);
      return 'failed' as const;
    });
  }

  /**
   * Refused by the carrier because the contact opted out with it. The failure and the opt-out it reveals are one
   * transaction: staff never see the message failed without the consent that explains it, nor the reverse.
   */
  private async failOptedOut(row: OutboxRow, attempt: number, channel: Channel, refusal: SendFailure): Promise<RowOutcome> {
    const provider = this.options.carriers.providerFor(channel) ?? 'dev';
    const staffReason = carrierOptOutReason('Not sent', refusal.reason);
    const changed = await this.store.writes.run(async (unit) => {
      await this.markFailed(unit, row, attempt, staffReason);
      const optedOut = await recordCarrierOptOut(unit, { contactId: row.contact_id, caseId: row.case_id, provider, refusal: refusal.reason, messageId: row.message_id });
      // After the opt-out, so the mark's event carries the case as it now is.
      await markReplyUndelivered(unit, row.message_id, staffReason);
      return optedOut;
    });
    // Logged after the commit, so the log never tells of an opt-out that was rolled back.
    this.options.log?.info({ outboxId: row.id, caseId: row.case_id, provider, channels: changed }, '[outbox] carrier refused: the contact opted out with it');
    return 'failed';
  }

  private async markFailed(unit: WriteUnit, row: OutboxRow, attempt: number, staffReason: string): Promise<RowOutcome> {
    await unit.trx
      .updateTable('outbox')
      .set({ state: 'failed', attempts: attempt, last_error: staffReason, updated_at: unit.now })
      .where('id', '=', row.id)
      .execute();
    const message = await unit.trx.selectFrom('messages').selectAll().where('id', '=', row.message_id).executeTakeFirstOrThrow();
    await unit.trx.updateTable('messages').set({ delivery_state: 'failed', delivery_error: staffReason }).where('id', '=', message.id).execute();
    const view = toMessageView({ ...message, delivery_state: 'failed', delivery_error: staffReason });
    await appendEvent(unit, { type: 'delivery.updated', actorId: null, case: await getCaseView(unit.trx, row.case_id), message: view });
    await appendAudit(unit, {
      actorType: 'system',
      actorId: 'outbox',
      action: 'reply.failed',
      caseId: row.case_id,
      detail: { messageId: message.id, outboxId: row.id, attempts: attempt, reason: staffReason },
    });
    return 'failed';
  }

  private async deliveredAlready(row: OutboxRow): Promise<boolean> {
    const message = await this.store.db.selectFrom('messages').select('delivery_state').where('id', '=', row.message_id).executeTakeFirstOrThrow();
    return DELIVERED.includes(DeliveryStateSchema.parse(message.delivery_state ?? 'queued'));
  }

  private finish(row: OutboxRow, audit?: { action: string; detail: Record<string, unknown> }): Promise<RowOutcome> {
    return this.store.writes.run(async (unit) => {
      await unit.trx.updateTable('outbox').set({ state: 'sent', updated_at: unit.now }).where('id', '=', row.id).execute();
      if (audit !== undefined) await appendAudit(unit, { actorType: 'system', actorId: 'outbox', action: audit.action, caseId: row.case_id, detail: audit.detail });
      return 'delivered' as const;
    });
  }

  /** RCS sent, its time is up: delivered means done; otherwise revoke it and, only if the revoke took, send SMS. */
  private async checkRcsDelivery(row: OutboxRow): Promise<RowOutcome> {
    if (await this.deliveredAlready(row)) return this.finish(row);
    const rbmId = row.provider_message_id ?? row.id;
    const revoke = await this.options.carriers.revokeRcs(row.to_address, rbmId);
    if (!revoke.ok) {
      if (revoke.alreadyDelivered === true) {
        // The revoke lost the race: the handset took the message first and a DELIVERED event is on its way.
        return this.finish(row, { action: 'rcs.revoke_lost', detail: { messageId: row.message_id, outboxId: row.id } });
      }
      const attempt = row.attempts + 1;
      if (revoke.retryable && attempt < this.maxAttempts) {
        const delay = retryDelay(attempt, this.backoff, this.random);
        await this.store.writes.run(async (unit) => {
          await unit.trx
            .updateTable('outbox')
            .set({ state: 'awaiting_delivery', attempts: attempt, next_attempt_at: unit.now + delay, last_error: `revoke: ${revoke.reason}`, updated_at: unit.now })
            .where('id', '=', row.id)
            .execute();
        });
        return 'retry';
      }
      return this.fail(row, attempt, `Not delivered by RCS in time, and it could not be withdrawn to send by SMS instead: ${revoke.reason}.`);
    }
    // A DELIVERED event may have landed while the revoke was in flight: then it arrived, and an SMS would be a second copy.
    if (await this.deliveredAlready(row)) return this.finish(row, { action: 'rcs.revoke_lost', detail: { messageId: row.message_id, outboxId: row.id } });
    const fallback = await this.store.writes.run(async (unit) => {
      const changes = { fallback_from: 'rcs', deliver_by: null, send_channel: null, provider: null, provider_message_id: null, updated_at: unit.now };
      await unit.trx.updateTable('outbox').set(changes).where('id', '=', row.id).execute();
      // The SMS's own receipts start from the beginning; the revoked RCS id no longer matches the message.
      await unit.trx.updateTable('messages').set({ delivery_state: 'queued', provider: null, provider_message_id: null }).where('id', '=', row.message_id).execute();
      await appendAudit(unit, { actorType: 'system', actorId: 'outbox', action: 'rcs.revoked', caseId: row.case_id, detail: { messageId: row.message_id, outboxId: row.id, rbmMessageId: rbmId } });
      return { ...row, ...changes };
    });
    return this.send(fallback, 'sms');
  }
}
