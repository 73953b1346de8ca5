import { describe, expect, it } from 'vitest';
import { ANNOUNCEMENT_LOG_LIMIT, NoticeStore } from './notice-store';

const texts = (log: readonly { text: string }[]) => log.map((entry) => entry.text);

describe('NoticeStore.supersede', () => {
  const queued = (messageId: string) => ({ kind: 'reply_queued', messageId }) as const;

  it('replaces the notice only while it is still the one about that very message, and announces nothing', () => {
    const notices = new NoticeStore();
    notices.show('info', 'Reply queued for sending — case #12', 'c-12', queued('m-2'));
    expect(texts(notices.politeAnnouncements)).toEqual(['Reply queued for sending — case #12']);

    // Another reply on the same case (an earlier one) failing is not this one failing.
    expect(notices.supersede(queued('m-1'), 'error', 'Reply failed — case #12')).toBe(false);
    expect(notices.notice?.text).toBe('Reply queued for sending — case #12');

    expect(notices.supersede(queued('m-2'), 'error', 'Reply failed — case #12')).toBe(true);
    expect(notices.notice).toMatchObject({ tone: 'error', text: 'Reply failed — case #12', caseId: 'c-12', subject: null });
    expect(texts(notices.politeAnnouncements)).toEqual(['Reply queued for sending — case #12']);
    expect(notices.urgentAnnouncements).toEqual([]);
    // Once replaced, it is no longer the "queued" notice: a second failure does not replace it again.
    expect(notices.supersede(queued('m-2'), 'error', 'Reply failed — case #12 again')).toBe(false);
  });

  it('leaves alone a notice shown since, or none', () => {
    const notices = new NoticeStore();
    expect(notices.supersede(queued('m-1'), 'error', 'Reply failed — case #12')).toBe(false);
    expect(notices.notice).toBeNull();
    notices.show('info', 'Reply queued for sending — case #12', 'c-12', queued('m-1'));
    notices.show('info', 'Acknowledged — case #12', 'c-12');
    expect(notices.supersede(queued('m-1'), 'error', 'Reply failed — case #12')).toBe(false);
    expect(notices.notice?.text).toBe('Acknowledged — case #12');
  });
});

describe('NoticeStore.show', () => {
  it('says an error at once and the rest politely, unless told how, or told it was already said', () => {
    const notices = new NoticeStore();
    notices.show('error', 'Try again — nothing was changed.');
    notices.show('info', 'Acknowledged — case #12', 'c-12');
    notices.show('error', 'Reply failed — case #12', 'c-12', null, 'polite');
    notices.show('error', 'Reply failed — case #13', 'c-13', null, 'none');
    expect(texts(notices.urgentAnnouncements)).toEqual(['Try again — nothing was changed.']);
    expect(texts(notices.politeAnnouncements)).toEqual(['Acknowledged — case #12', 'Reply failed — case #12']);
    expect(notices.notice?.text).toBe('Reply failed — case #13');
  });
});

describe('NoticeStore.announce', () => {
  it('keeps two announcements made one after the other, the later after the earlier', () => {
    const notices = new NoticeStore();
    notices.announce('New message in case 12, ward W1.');
    notices.announce('The contact for case 12 opted out of messages (STOP by SMS). Replies to them are refused until they text START.');
    expect(texts(notices.politeAnnouncements)).toEqual([
      'New message in case 12, ward W1.',
      'The contact for case 12 opted out of messages (STOP by SMS). Replies to them are refused until they text START.',
    ]);
  });

  it('keeps urgent announcements apart from polite ones', () => {
    const notices = new NoticeStore();
    notices.announce("Martha's Rule call, case 41, ward W2. Needs acknowledging now.", 'urgent');
    notices.announce('New message in case 12, ward W1.');
    notices.announce("Martha's Rule call, case 42, ward W3. Needs acknowledging now.", 'urgent');
    notices.show('error', 'Not connected — nothing was sent.');
    expect(texts(notices.urgentAnnouncements)).toEqual([
      "Martha's Rule call, case 41, ward W2. Needs acknowledging now.",
      "Martha's Rule call, case 42, ward W3. Needs acknowledging now.",
      'Not connected — nothing was sent.',
    ]);
    expect(texts(notices.politeAnnouncements)).toEqual(['New message in case 12, ward W1.']);
  });

  it('keeps the same words said twice as two entries, each with its own id', () => {
    const notices = new NoticeStore();
    notices.announce('Reply failed — case #12', 'urgent');
    notices.announce('Reply failed — case #12', 'urgent');
    expect(texts(notices.urgentAnnouncements)).toEqual(['Reply failed — case #12', 'Reply failed — case #12']);
    const [first, second] = notices.urgentAnnouncements;
    expect(first?.id).not.toBe(second?.id);
  });

  it(`prunes the oldest beyond ${ANNOUNCEMENT_LOG_LIMIT}, and keeps ids unique across both logs`, () => {
    const notices = new NoticeStore();
    const said = Array.from({ length: ANNOUNCEMENT_LOG_LIMIT + 2 }, (_, index) => `New message in case ${index + 1}, ward W1.`);
    for (const text of said) notices.announce(text);
    notices.announce('Escalated to you: case 7.', 'urgent');
    expect(texts(notices.politeAnnouncements)).toEqual(said.slice(-ANNOUNCEMENT_LOG_LIMIT));
    const ids = [...notices.politeAnnouncements, ...notices.urgentAnnouncements].map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('forgets everything on reset (signing out)', () => {
    const notices = new NoticeStore();
    notices.announce('New message in case 12, ward W1.');
    notices.announce('Escalated to you: case 7.', 'urgent');
    notices.reset();
    expect(notices.politeAnnouncements).toEqual([]);
    expect(notices.urgentAnnouncements).toEqual([]);
  });
});
