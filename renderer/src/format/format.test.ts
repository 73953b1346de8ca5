import { describe, expect, it } from 'vitest';
import { describeCommandError } from './command-error-words';
import { intentChip } from './intent-words';
import { splitLinks } from './links';
import { formatClock, formatSpan } from './time';
import { newCommandId } from '../stores/command-id';

describe('hub errors in words', () => {
  it('names who acknowledged first and when, on the London clock', () => {
    const at = Date.UTC(2026, 6, 1, 13, 2); // 14:02 BST
    expect(describeCommandError({ code: 'already_acknowledged', message: 'x', by: { userId: 'u', displayName: 'Sam Patel' }, at })).toBe(
      'Already acknowledged by Sam Patel at 14:02',
    );
    expect(describeCommandError({ code: 'conflict', message: 'version 3 is not 4' })).toBe('Someone changed this case — showing the latest. Check it, then try again.');
  });

  it("gives a refusal the hub's own words, such as a reply to a contact who opted out", () => {
    const optedOut = 'Not sent: this contact has opted out of messages (they replied STOP). They can opt back in by replying START; until then, contact them another way.';
    expect(describeCommandError({ code: 'forbidden', message: optedOut })).toBe(optedOut);
    expect(describeCommandError({ code: 'forbidden', message: 'That case is not in your queues.' })).toBe('That case is not in your queues.');
    expect(describeCommandError({ code: 'forbidden', message: '' })).toBe('You are not allowed to do that on this case (it may have moved to a queue you do not cover).');
  });
});

describe('time', () => {
  it('shows London wall-clock time across the DST change', () => {
    expect(formatClock(Date.UTC(2026, 0, 15, 9, 30))).toBe('09:30');
    expect(formatClock(Date.UTC(2026, 6, 15, 9, 30))).toBe('10:30');
  });
  it('says spans in words', () => {
    expect(formatSpan(30_000)).toBe('under a minute');
    expect(formatSpan(-7 * 60_000)).toBe('7 min');
    expect(formatSpan(125 * 60_000)).toBe('2 h 05 min');
    expect(formatSpan(72 * 3_600_000)).toBe('3 days');
  });
});

describe('links in patient text', () => {
  it('separates web addresses from the words around them and leaves markup as text', () => {
    expect(splitLinks('see https://evil.example/x?y=1 now <b>hi</b>')).toEqual([
      { text: 'see ', link: false },
      { text: 'https://evil.example/x?y=1', link: true },
      { text: ' now <b>hi</b>', link: false },
    ]);
    expect(splitLinks('javascript:alert(1)')).toEqual([{ text: 'javascript:alert(1)', link: false }]);
  });
});

describe('command ids', () => {
  it('are v4 UUIDs the hub schema accepts, distinct each time', () => {
    const ids = new Set(Array.from({ length: 100 }, newCommandId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('CSV export', () => {
  it('quotes commas, quotes and newlines, and defuses spreadsheet formulas', async () => {
    const { toCsv, parseSimpleCsv } = await import('./csv');
    expect(toCsv(['queue', 'note', 'n'], [["Martha's Rule", 'a, "b"\nc', 3], ['=HYPERLINK("x")', null, -1]])).toBe(
      'queue,note,n\r\nMartha\'s Rule,"a, ""b""\nc",3\r\n"\'=HYPERLINK(""x"")",,-1\r\n',
    );
    expect(parseSimpleCsv('month,calls\r\n2026-07,4\r\n')).toEqual([{ month: '2026-07', calls: '4' }]);
  });
});

describe('the answer chip on a patient message', () => {
  it("names the option in the template's words, says an unclear answer needs a person, and shows an unknown id as it is", () => {
    expect(intentChip('answer:cancel')).toEqual({ text: 'Answer: Cancel', unclear: false });
    expect(intentChip('answer:urgent')).toEqual({ text: 'Answer: Urgent', unclear: false });
    expect(intentChip('answer:confirm')).toEqual({ text: 'Answer: Yes', unclear: false });
    expect(intentChip('unclear')).toEqual({ text: 'Unclear answer: read it yourself', unclear: true });
    expect(intentChip('answer:rebook')).toEqual({ text: 'Answer: rebook', unclear: false });
  });
});
