// What the desk needs to tell the user right now: one visible notice, plus text for screen readers.
import { makeAutoObservable, observableRef } from 'mobx';

export type NoticeTone = 'error' | 'info';

/**
 * What a notice stands for, when a later event can overturn it: "Reply queued" is not left up beside "Failed". Keyed
 * by the reply's own message (the hub's answer names it), so a failure of another reply on the case is not taken for it.
 */
export type NoticeSubject = { kind: 'reply_queued'; messageId: string };

/** How a notice is said to screen readers: by default errors at once, the rest politely; 'none' when already said. */
export type NoticeAnnouncement = 'polite' | 'urgent' | 'none';

export interface Notice {
  id: number;
  tone: NoticeTone;
  text: string;
  caseId: string | null;
  subject: NoticeSubject | null;
}

/** One thing said to screen readers. The id keys its own node, so the same words said twice are two additions. */
export interface Announcement {
  id: number;
  text: string;
}

/**
 * How many announcements each log keeps. Each is its own node in a live region that reads additions only, so a later
 * one never replaces an earlier one before it is read; older ones are pruned so the region stays small.
 */
export const ANNOUNCEMENT_LOG_LIMIT = 5;

export class NoticeStore {
  notice: Notice | null = null;
  /** Read politely by screen readers (new messages, results of actions), oldest first. */
  politeAnnouncements: readonly Announcement[] = [];
  /** Read at once (alerts, failures), oldest first. */
  urgentAnnouncements: readonly Announcement[] = [];
  private nextId = 1;

  constructor() {
    makeAutoObservable<this, 'nextId'>(
      this,
      // Replaced whole on each announcement, so an observer sees every one, even two in one action.
      { nextId: false, politeAnnouncements: observableRef, urgentAnnouncements: observableRef },
      { autoBind: true },
    );
  }

  show(
    tone: NoticeTone,
    text: string,
    caseId: string | null = null,
    subject: NoticeSubject | null = null,
    announcement: NoticeAnnouncement = tone === 'error' ? 'urgent' : 'polite',
  ): void {
    this.notice = { id: this.nextId++, tone, text, caseId, subject };
    if (announcement !== 'none') this.announce(text, announcement);
  }

  /**
   * Replaces the notice with `text` if it is still the one about `subject` (nothing else has been shown since), and
   * says whether it did. Announces nothing: the caller says how loudly.
   */
  supersede(subject: NoticeSubject, tone: NoticeTone, text: string): boolean {
    const shown = this.notice;
    if (shown === null || shown.subject === null || shown.subject.kind !== subject.kind || shown.subject.messageId !== subject.messageId) return false;
    this.notice = { id: this.nextId++, tone, text, caseId: shown.caseId, subject: null };
    return true;
  }

  dismiss(): void {
    this.notice = null;
  }

  announce(text: string, urgency: 'polite' | 'urgent' = 'polite'): void {
    const entry: Announcement = { id: this.nextId++, text };
    if (urgency === 'urgent') this.urgentAnnouncements = [...this.urgentAnnouncements, entry].slice(-ANNOUNCEMENT_LOG_LIMIT);
    else this.politeAnnouncements = [...this.politeAnnouncements, entry].slice(-ANNOUNCEMENT_LOG_LIMIT);
  }

  reset(): void {
    this.notice = null;
    this.politeAnnouncements = [];
    this.urgentAnnouncements = [];
  }
}
