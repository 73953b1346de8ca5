import { describe, expect, it } from 'vitest';
import type { ChannelConsent, TimelineEntry } from '../../../shared/protocol';
import { consentChangeAnnouncement, consentSourceWords, consentWords, formatNhsNumber, optedOutNotice, timelineWords } from './profile-words';

const names = { user: (id: string | null) => (id === 'u-alex' ? 'Alex Morgan' : null), queue: (id: string) => (id === 'ward-W1' ? 'Ward 1' : id), me: 'u-sam' };
const entry = (fields: Partial<TimelineEntry> & Pick<TimelineEntry, 'action'>): TimelineEntry => ({
  id: 1,
  at: 0,
  actor: { kind: 'user', userId: 'u-alex', name: 'Alex Morgan' },
  ...fields,
});

describe('timeline words', () => {
  it('says who did what, with "you" for this user', () => {
    expect(timelineWords(entry({ action: 'case.acknowledged' }), names)).toBe('Acknowledged by Alex Morgan');
    expect(timelineWords(entry({ action: 'case.assigned', assignee: { from: null, to: 'u-sam', toName: 'Sam Patel' } }), names)).toBe('Assigned to you by Alex Morgan');
    expect(timelineWords(entry({ action: 'case.assigned', assignee: { from: 'u-sam', to: null, toName: null } }), names)).toBe('Unassigned by Alex Morgan');
    expect(timelineWords(entry({ action: 'case.resolved', actor: { kind: 'user', userId: 'u-sam', name: 'Sam Patel' }, outcome: 'review_done' }), names)).toBe('Resolved by you: Review done');
  });

  it('words carrier and system actions, triage changes and consent', () => {
    expect(timelineWords(entry({ action: 'case.opened', actor: { kind: 'carrier', userId: null, name: null }, channel: 'whatsapp' }), names)).toBe('Case opened by a message from the contact (WhatsApp)');
    expect(timelineWords(entry({ action: 'reply.queued', actor: { kind: 'system', userId: null, name: null }, automatic: true, channel: 'sms' }), names)).toBe('Automatic first reply written to the contact (SMS)');
    expect(timelineWords(entry({ action: 'case.triaged', priority: { from: 3, to: 1 }, queue: { from: 'triage', to: 'ward-W1' } }), names)).toBe(
      'Triaged by Alex Morgan: priority P3 normal → P1 urgent, moved from triage to Ward 1',
    );
    expect(timelineWords(entry({ action: 'consent.opted_out', actor: { kind: 'carrier', userId: null, name: null }, channels: ['sms', 'rcs'] }), names)).toBe('The contact opted out of SMS, RCS (STOP)');
    expect(timelineWords(entry({ action: 'alert.escalated', actor: { kind: 'system', userId: null, name: null }, alertKind: 'paged' }), names)).toBe('Paged');
    expect(timelineWords(entry({ action: 'something.new' }), names)).toBe('Something new by Alex Morgan');
  });

  it('words consent and NHS numbers', () => {
    expect(consentWords({ channel: 'sms', status: 'opted_in', recorded: false, source: null, changedAt: null })).toBe('No objection recorded');
    expect(consentWords({ channel: 'sms', status: 'opted_out', recorded: true, source: 'keyword STOP via dev sms', changedAt: 1 })).toBe('Opted out — do not message');
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
  });
});

describe('the composer notice for an opted-out contact', () => {
  // 27 Nov 2026, 10:02 in London (GMT); the STOP was recorded on every channel at once.
  const at = Date.UTC(2026, 10, 27, 10, 2);
  const out = (channel: ChannelConsent['channel'], source = 'keyword STOP via dev sms', changedAt = at): ChannelConsent => ({ channel, status: 'opted_out', recorded: true, source, changedAt });
  const notRecorded = (channel: ChannelConsent['channel']): ChannelConsent => ({ channel, status: 'opted_in', recorded: false, source: null, changedAt: null });

  it('says how and when the contact opted out, and what to do instead, when every channel is opted out', () => {
    expect(optedOutNotice([out('sms'), out('whatsapp'), out('rcs')])).toBe(
      'This contact has opted out of messages (STOP by SMS on 27 Nov, 10:02). Replies will be refused; phone them instead.',
    );
    const carrier = 'carrier twilio (Twilio error 21610)';
    expect(optedOutNotice([out('sms', carrier), out('whatsapp', carrier), out('rcs', carrier)])).toBe(
      'This contact has opted out of messages (STOP to the carrier, reported as Twilio error 21610 on 27 Nov, 10:02). Replies will be refused; phone them instead.',
    );
    // The latest change is the one named.
    expect(optedOutNotice([out('sms', 'keyword STOP via whatsapp whatsapp', at - 60_000), out('whatsapp', 'keyword STOP via twilio sms'), out('rcs', 'keyword STOP via whatsapp whatsapp', at - 60_000)])).toContain('(STOP by SMS on 27 Nov, 10:02)');
  });

  it('says nothing while any channel is open, or before the profile has consents', () => {
    expect(optedOutNotice([out('sms'), out('whatsapp'), notRecorded('rcs')])).toBeNull();
    expect(optedOutNotice([out('sms'), { ...out('whatsapp'), status: 'opted_in', source: 'keyword START via dev sms' }, out('rcs')])).toBeNull();
    expect(optedOutNotice([notRecorded('sms'), notRecorded('whatsapp'), notRecorded('rcs')])).toBeNull();
    expect(optedOutNotice([])).toBeNull();
  });

  it('words the sources the hub records, and keeps any other as it is', () => {
    expect(consentSourceWords('keyword STOP via twilio whatsapp')).toBe('STOP by WhatsApp');
    expect(consentSourceWords('keyword START via rbm rcs')).toBe('START by RCS');
    expect(consentSourceWords('carrier twilio (Twilio error 21610)')).toBe('STOP to the carrier, reported as Twilio error 21610');
    expect(consentSourceWords('keyword STOP via dev fax')).toBe('keyword STOP via dev fax');
    expect(consentSourceWords('imported from PAS')).toBe('imported from PAS');
  });
});

describe('the announcement of a consent change on the open case', () => {
  const at = Date.UTC(2026, 10, 27, 10, 2);
  const consent = (channel: ChannelConsent['channel'], status: ChannelConsent['status'], source: string, changedAt = at): ChannelConsent => ({ channel, status, recorded: true, source, changedAt });
  const everywhere = (status: ChannelConsent['status'], source: string, changedAt = at) => (['sms', 'whatsapp', 'rcs'] as const).map((channel) => consent(channel, status, source, changedAt));
  const never: ChannelConsent[] = (['sms', 'whatsapp', 'rcs'] as const).map((channel) => ({ channel, status: 'opted_in', recorded: false, source: null, changedAt: null }));
  const stopped = everywhere('opted_out', 'keyword STOP via dev sms');

  it('says once, for all channels, that replies are now refused, and how the contact opted out', () => {
    expect(consentChangeAnnouncement(1042, never, stopped)).toBe(
      'The contact for case 1042 opted out of messages (STOP by SMS). Replies to them are refused until they text START.',
    );
    // The case is not in this desk's list: still said, without a number.
    expect(consentChangeAnnouncement(null, never, stopped)).toBe('The contact for this case opted out of messages (STOP by SMS). Replies to them are refused until they text START.');
  });

  it('says the contact opted back in, naming the latest START, whoever recorded the opt-out', () => {
    const started = [consent('sms', 'opted_in', 'keyword START via dev sms', at - 60_000), consent('whatsapp', 'opted_in', 'keyword START via twilio whatsapp'), consent('rcs', 'opted_in', 'keyword START via dev sms', at - 60_000)];
    expect(consentChangeAnnouncement(1042, stopped, started)).toBe('The contact for case 1042 opted back in to messages (START by WhatsApp). Replies can be sent to them again.');
    expect(consentChangeAnnouncement(1042, everywhere('opted_out', 'carrier twilio (Twilio error 21610)'), everywhere('opted_in', 'keyword START via twilio sms'))).toBe(
      'The contact for case 1042 opted back in to messages (START by SMS). Replies can be sent to them again.',
    );
    // One channel open again is enough for the hub to send, and the composer's notice goes: said the same way.
    expect(consentChangeAnnouncement(1042, stopped, [...stopped.slice(0, 2), consent('rcs', 'opted_in', 'keyword START via rbm rcs')])).toBe(
      'The contact for case 1042 opted back in to messages (START by RCS). Replies can be sent to them again.',
    );
  });

  it('says nothing when replies are refused, or not, just as before', () => {
    expect(consentChangeAnnouncement(1042, stopped, stopped)).toBeNull();
    expect(consentChangeAnnouncement(1042, never, never)).toBeNull();
    // A later opt-out on top of one already shown changes the source and time, not whether replies are refused.
    expect(consentChangeAnnouncement(1042, stopped, everywhere('opted_out', 'carrier twilio (Twilio error 21610)', at + 60_000))).toBeNull();
    // A carrier's opt-out comes with the failed reply that revealed it, whose announcement already says so.
    expect(consentChangeAnnouncement(1042, never, everywhere('opted_out', 'carrier twilio (Twilio error 21610)'))).toBeNull();
    // Some channels only: the hub still sends on another, and the composer says nothing either.
    expect(consentChangeAnnouncement(1042, never, [consent('sms', 'opted_out', 'keyword STOP via dev sms'), ...never.slice(1)])).toBeNull();
  });
});
