import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../shared/protocol';
import { consentWords, formatNhsNumber, timelineWords } from './profile-words';

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
