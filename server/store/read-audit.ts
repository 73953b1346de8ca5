// Who looked at what: reading a case and viewing a report are audited like changes, so a trust can show who saw a
// patient's record. The row is committed (through the write queue, so it is as durable as any audit row) before the
// answer leaves the hub; a read whose row cannot be written is refused, never answered unaudited. Details carry the
// view or the report and its range — never patient text, phone or NHS numbers.
import type { UserView } from '../../shared/domain';
import { appendAudit } from './audit-log';
import type { Store } from './open-store';

/** Which part of a case was read: the thread (`case:detail`) or the contact, patient and timeline (`case:profile`). */
export type CaseReadView = 'thread' | 'profile';

export type ReportViewed =
  | { report: 'measures'; from: number; to: number }
  | { report: 'marthas-rule'; month: string; via: 'desk' | 'csv' };

export const CASE_VIEWED = 'case.viewed';
export const REPORT_VIEWED = 'report.viewed';

/**
 * How long one desk's reading of one case stays on record as "viewing it". An open case is read again after every
 * event on it (the desk refreshes its profile), which said nothing new: within this window the same desk's re-read is
 * not written again, so the trail says who opened what, and when, rather than how often a busy case changed.
 */
export const READ_AUDIT_REPEAT_MS = 15 * 60_000;

/** The case reads one desk (one socket) already has on record, with when; gone with the socket. */
export class RecordedReads {
  private readonly at = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** Whether this read is already on record from this desk within the window. */
  covers(caseId: string, view: CaseReadView): boolean {
    const last = this.at.get(`${view}:${caseId}`);
    return last !== undefined && this.now() - last < READ_AUDIT_REPEAT_MS;
  }

  note(caseId: string, view: CaseReadView): void {
    const key = `${view}:${caseId}`;
    // Most recent last, so the map holds the cases this desk has open, not every case it ever opened.
    this.at.delete(key);
    this.at.set(key, this.now());
    if (this.at.size > 200) this.at.delete(this.at.keys().next().value!);
  }
}

export async function auditCaseViewed(store: Store, user: UserView, caseId: string, view: CaseReadView): Promise<void> {
  await store.writes.run((unit) => appendAudit(unit, { actorType: 'user', actorId: user.id, action: CASE_VIEWED, caseId, detail: { view } }));
}

export async function auditReportViewed(store: Store, user: UserView, viewed: ReportViewed): Promise<void> {
  await store.writes.run((unit) => appendAudit(unit, { actorType: 'user', actorId: user.id, action: REPORT_VIEWED, caseId: null, detail: { ...viewed } }));
}
