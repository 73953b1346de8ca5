import { describe, expect, it } from 'vitest';
import { NoticeStore } from './notice-store';

describe('NoticeStore.supersede', () => {
  it('replaces the notice only while it is still the one about that subject and case, and announces nothing', () => {
    const notices = new NoticeStore();
    notices.show('info', 'Reply queued for sending — case #12', 'c-12', 'reply_queued');
    expect(notices.politeAnnouncement).toBe('Reply queued for sending — case #12');

    expect(notices.supersede('reply_queued', 'c-13', 'error', 'Reply failed — case #13')).toBe(false);
    expect(notices.notice?.text).toBe('Reply queued for sending — case #12');

    expect(notices.supersede('reply_queued', 'c-12', 'error', 'Reply failed — case #12')).toBe(true);
    expect(notices.notice).toMatchObject({ tone: 'error', text: 'Reply failed — case #12', caseId: 'c-12', subject: null });
    expect(notices.politeAnnouncement).toBe('Reply queued for sending — case #12');
    expect(notices.urgentAnnouncement).toBe('');
    // Once replaced, it is no longer the "queued" notice: a second failure does not replace it again.
    expect(notices.supersede('reply_queued', 'c-12', 'error', 'Reply failed — case #12 again')).toBe(false);
  });

  it('leaves alone a notice shown since, or none', () => {
    const notices = new NoticeStore();
    expect(notices.supersede('reply_queued', 'c-12', 'error', 'Reply failed — case #12')).toBe(false);
    expect(notices.notice).toBeNull();
    notices.show('info', 'Reply queued for sending — case #12', 'c-12', 'reply_queued');
    notices.show('info', 'Acknowledged — case #12', 'c-12');
    expect(notices.supersede('reply_queued', 'c-12', 'error', 'Reply failed — case #12')).toBe(false);
    expect(notices.notice?.text).toBe('Acknowledged — case #12');
  });
});
