// What the desk needs to tell the user right now: one visible notice, plus text for screen readers.
import { makeAutoObservable } from 'mobx';

export type NoticeTone = 'error' | 'info';

export interface Notice {
  id: number;
  tone: NoticeTone;
  text: string;
  caseId: string | null;
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

  show(tone: NoticeTone, text: string, caseId: string | null = null): void {
    this.notice = { id: this.nextId++, tone, text, caseId };
    this.announce(text, tone === 'error' ? 'urgent' : 'polite');
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
