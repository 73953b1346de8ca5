// What the desk needs to tell the user right now: one visible notice, plus text for screen readers.
import { makeAutoObservable } from 'mobx';

export type NoticeTone = 'error' | 'info';

/** What a notice stands for, when a later event can overturn it: "Reply queued" is not left up beside "Failed". */
export type NoticeSubject = 'reply_queued';

export interface Notice {
  id: number;
  tone: NoticeTone;
  text: string;
  caseId: string | null;
  subject: NoticeSubject | null;
}

export class NoticeStore {
  notice: Notice | null = null;
  /** Read politely by screen readers (new messages, results of actions). */
  politeAnnouncement = '';
  /** Read at once (alerts, failures). */
  urgentAnnouncement = '';
  private nextId = 1;

  constructor() {
    makeAutoObservable<this, 'nextId'>(this, { nextId: false }, { autoBind: true });
  }

  show(tone: NoticeTone, text: string, caseId: string | null = null, subject: NoticeSubject | null = null): void {
    this.notice = { id: this.nextId++, tone, text, caseId, subject };
    this.announce(text, tone === 'error' ? 'urgent' : 'polite');
  }

  /**
   * Replaces the notice with `text` if it is still the one about `subject` on this case (nothing else has been shown
   * since), and says whether it did. Announces nothing: the caller says how loudly.
   */
  supersede(subject: NoticeSubject, caseId: string, tone: NoticeTone, text: string): boolean {
    if (this.notice === null || this.notice.subject !== subject || this.notice.caseId !== caseId) return false;
    this.notice = { id: this.nextId++, tone, text, caseId, subject: null };
    return true;
  }

  dismiss(): void {
    this.notice = null;
  }

  announce(text: string, urgency: 'polite' | 'urgent' = 'polite'): void {
    // A repeated identical string is not re-read by screen readers; the zero-width toggle makes it new.
    const fresh = (previous: string) => (previous === text ? `${text}\u200b` : text);
    if (urgency === 'urgent') this.urgentAnnouncement = fresh(this.urgentAnnouncement);
    else this.politeAnnouncement = fresh(this.politeAnnouncement);
  }

  reset(): void {
    this.notice = null;
    this.politeAnnouncement = '';
    this.urgentAnnouncement = '';
  }
}
