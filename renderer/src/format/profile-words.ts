// Words for the contact panel and the case timeline: a nurse reads "Assigned to Alex Morgan by Sam Patel", never
// "case.assigned {to: u_2}". Pure functions over the shared types, so they are tested without a browser.
import { ChannelSchema, type Relation } from '../../../shared/domain';
import type { ChannelConsent, TimelineEntry } from '../../../shared/protocol';
import { alertKindLabel, categoryLabel, channelLabel, deliveryLabel, outcomeLabel, priorityLabel } from './labels';
import { formatDayAndClock } from './time';

export function relationLabel(relation: Relation): string {
  switch (relation) {
    case 'self': return 'The patient';
    case 'parent': return 'Parent';
    case 'partner': return 'Partner';
    case 'child': return 'Son or daughter';
    case 'carer': return 'Carer';
    case 'relative': return 'Relative';
    case 'friend': return 'Friend';
    case 'staff': return 'Staff member';
    case 'unknown': return 'Not known';
    default: {
      const unhandled: never = relation;
      throw new Error(`unhandled relation: ${String(unhandled)}`);
    }
  }
}

export function consentWords(consent: ChannelConsent): string {
  if (!consent.recorded) return 'No objection recorded';
  return consent.status === 'opted_out' ? 'Opted out — do not message' : 'Opted in';
}

/**
 * Where a consent came from, as the hub records it (server/consent/): "keyword STOP via twilio sms" reads "STOP by
 * SMS"; "carrier twilio (Twilio error 21610)" reads "STOP to the carrier, reported as Twilio error 21610". A source
 * in any other form is given as it is: better the hub's own words than none.
 */
export function consentSourceWords(source: string): string {
  const keyword = /^keyword (\S+) via \S+ (\S+)$/.exec(source);
  const channel = ChannelSchema.safeParse(keyword?.[2]);
  if (keyword !== null && channel.success) return `${keyword[1]} by ${channelLabel(channel.data)}`;
  const refusal = carrierRefusal(source);
  if (refusal !== null) return `STOP to the carrier, reported as ${refusal}`;
  return source;
}

/** The carrier's refusal ("Twilio error 21610") when this source is a carrier's opt-out, else null. */
function carrierRefusal(source: string): string | null {
  return /^carrier \S+ \((.+)\)$/.exec(source)?.[1] ?? null;
}

/**
 * Replies are refused only when every channel is opted out; with any channel open the hub chooses the channel at send
 * time, from facts the desk does not hold, so the desk does not guess. The composer's notice and the announcement of a
 * change both go by this one rule, so what is read out never disagrees with what is shown.
 */
function optedOutEverywhere(consents: readonly ChannelConsent[]): boolean {
  return consents.length > 0 && consents.every((consent) => consent.status === 'opted_out');
}

/** The most recent change among these consents (a STOP or START records every channel at once, with one source). */
function latestChange(consents: readonly ChannelConsent[]): ChannelConsent | undefined {
  return consents.reduce<ChannelConsent | undefined>((newest, consent) => (newest === undefined || (consent.changedAt ?? 0) > (newest.changedAt ?? 0) ? consent : newest), undefined);
}

/**
 * The composer's notice when the contact has opted out of every channel, or null when any channel is still open. Names
 * the latest opt-out.
 */
export function optedOutNotice(consents: readonly ChannelConsent[]): string | null {
  const latest = latestChange(consents);
  if (!optedOutEverywhere(consents) || latest === undefined) return null;
  const how = latest.source === null ? null : consentSourceWords(latest.source);
  const when = latest.changedAt === null ? null : formatDayAndClock(latest.changedAt);
  const detail = how !== null && when !== null ? `${how} on ${when}` : (how ?? (when === null ? null : `on ${when}`));
  return `This contact has opted out of messages${detail === null ? '' : ` (${detail})`}. Replies will be refused; phone them instead.`;
}

/**
 * What to tell a screen-reader user when the open case's consents go from `shown` (what the desk showed) to `now`:
 * words only when replies became refused or stopped being refused, by the same rule as the composer's notice, so
 * several channels changing in one update are one sentence and a reload that changes nothing says nothing. The source
 * named is the latest change of the new status; no time, since it is happening now. `ref` null: the case is not in
 * this desk's list, and the sentence still has to be said.
 *
 * A carrier's opt-out gives null: the hub learns of it only from a reply the carrier refused, recorded in the same
 * update on the same case, and the desk already announces that failure in the hub's words ("…opted out with the
 * carrier… Clarion now records them as opted out of every channel", CaseStore.replyUndelivered). A second sentence
 * would announce one change twice, right behind the failure that matters more.
 */
export function consentChangeAnnouncement(ref: number | null, shown: readonly ChannelConsent[], now: readonly ChannelConsent[]): string | null {
  const refused = optedOutEverywhere(now);
  if (refused === optedOutEverywhere(shown)) return null;
  const status = refused ? 'opted_out' : 'opted_in';
  const latest = latestChange(now.filter((consent) => consent.recorded && consent.status === status));
  if (refused && latest !== undefined && latest.source !== null && carrierRefusal(latest.source) !== null) return null;
  const how = latest === undefined || latest.source === null ? '' : ` (${consentSourceWords(latest.source)})`;
  const who = ref === null ? 'The contact for this case' : `The contact for case ${ref}`;
  return refused
    ? `${who} opted out of messages${how}. Replies to them are refused until they text START.`
    : `${who} opted back in to messages${how}. Replies can be sent to them again.`;
}

/** NHS numbers are read in groups of 3-3-4, as printed on NHS letters. */
export function formatNhsNumber(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length === 10 ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : value;
}

export interface TimelineNames {
  /** Display name for a user id, or null when not known to this desk. */
  user(userId: string | null): string | null;
  queue(queueId: string): string;
  me: string | null;
}

/** One audited action as a sentence. Unknown actions still say what happened, in plain words. */
export function timelineWords(entry: TimelineEntry, names: TimelineNames): string {
  const actorName =
    entry.actor.kind === 'user'
      ? entry.actor.userId !== null && entry.actor.userId === names.me
        ? 'you'
        : (entry.actor.name ?? names.user(entry.actor.userId) ?? 'a colleague')
      : entry.actor.kind === 'carrier'
        ? 'the contact'
        : 'Clarion';
  const by = entry.actor.kind === 'user' ? ` by ${actorName}` : '';
  const via = entry.channel !== undefined ? ` (${channelLabel(entry.channel)})` : '';
  switch (entry.action) {
    case 'case.opened':
      return `Case opened by a message from the contact${via}`;
    case 'message.received':
      return `New message from the contact${via}`;
    case 'case.acknowledged':
      return `Acknowledged${by}`;
    case 'case.assigned': {
      const to = entry.assignee?.to ?? null;
      if (to === null) return `Unassigned${by}`;
      const toName = to === names.me ? 'you' : (entry.assignee?.toName ?? names.user(to) ?? 'a colleague');
      return `Assigned to ${toName}${by}`;
    }
    case 'case.triaged': {
      const changes: string[] = [];
      if (entry.priority) changes.push(`priority ${priorityLabel(entry.priority.from)} → ${priorityLabel(entry.priority.to)}`);
      if (entry.category) changes.push(`category ${categoryLabel(entry.category.from)} → ${categoryLabel(entry.category.to)}`);
      if (entry.queue) changes.push(`moved from ${names.queue(entry.queue.from)} to ${names.queue(entry.queue.to)}`);
      return `Triaged${by}${changes.length > 0 ? `: ${changes.join(', ')}` : ''}`;
    }
    case 'reply.queued':
      return entry.automatic ? `Automatic first reply written to the contact${via}` : `Reply written${by}${via}`;
    case 'reply.sent':
      return `Reply handed to the carrier${via}`;
    case 'reply.failed':
      return `Reply not sent${entry.reason !== undefined ? `: ${entry.reason}` : ''}`;
    case 'rcs.revoked':
      return 'RCS message withdrawn; sent by SMS instead';
    case 'delivery.updated':
      return entry.deliveryState !== undefined ? `Reply status: ${deliveryLabel(entry.deliveryState)}` : 'Reply status changed';
    case 'note.added':
      return `Internal note added${by}`;
    case 'case.resolved':
      return `Resolved${by}${entry.outcome !== undefined ? `: ${outcomeLabel(entry.outcome)}` : ''}${entry.summary !== undefined ? ` — “${entry.summary}”` : ''}`;
    case 'case.reopened':
      return `Reopened${entry.alertKind !== undefined ? `: ${alertKindLabel(entry.alertKind)}` : ''}`;
    case 'case.unacknowledged':
      return `Handed back (no longer acknowledged)${by}`;
    case 'case.silenced':
      return `Escalation silenced${entry.minutes !== undefined ? ` for ${entry.minutes} min` : ''}${by}`;
    case 'call.recorded':
      return `Martha's Rule call details recorded${by}`;
    case 'patient.linked':
      return `Contact linked to the patient${by}`;
    case 'consent.opted_out':
      return `The contact opted out${channelsWords(entry)} (STOP)`;
    case 'consent.opted_in':
      return `The contact opted back in${channelsWords(entry)} (START)`;
    default:
      if (entry.alertKind !== undefined) return `${alertKindLabel(entry.alertKind)}${by}`;
      return `${entry.action.replace(/[._]/g, ' ').replace(/^./, (letter) => letter.toUpperCase())}${by}`;
  }
}

function channelsWords(entry: TimelineEntry): string {
  if (entry.channels === undefined || entry.channels.length === 0) return '';
  return ` of ${entry.channels.map(channelLabel).join(', ')}`;
}
