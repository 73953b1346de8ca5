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

export async function auditCaseViewed(store: Store, user: UserView, caseId: string, view: CaseReadView): Promise<void> {
  await store.writes.run((unit) => appendAudit(unit, { actorType: 'user', actorId: user.id, action: CASE_VIEWED, caseId, detail: { view } }));
}

export async function auditReportViewed(store: Store, user: UserView, viewed: ReportViewed): Promise<void> {
  await store.writes.run((unit) => appendAudit(unit, { actorType: 'user', actorId: user.id, action: REPORT_VIEWED, caseId: null, detail: { ...viewed } }));
}
