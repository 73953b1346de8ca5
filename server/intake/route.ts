// Where a new conversation goes. Pure, so every routing rule is a one-line test.
import type { Category, LinePurpose, Priority } from '../../shared/domain';
import type { Line, SiteConfig } from '../config/site-config';

export interface Route {
  linePurpose: LinePurpose;
  queueId: string;
  ward: string | null;
  priority: Priority;
  category: Category;
}

/**
 * martha → its queue at top priority (24/7 outreach); pals → its queue; ward → the patient's ward queue when the
 * sender is known to be about a patient on a ward, else the ward queue of a line that serves one ward, else triage.
 * A message to a number Clarion does not know as a line is still kept and goes to triage, where a person sees it — it
 * is never dropped. The case's ward is set whenever the queue is a ward's, so "the on-shift nurses of the case's ward"
 * means someone.
 */
export function routeInbound(site: SiteConfig, line: Line | undefined, patientWard: string | null): Route {
  if (line === undefined) return { linePurpose: 'ward', queueId: site.triageQueueId, ward: patientWard, priority: 3, category: 'other' };
  switch (line.purpose) {
    case 'martha':
      return { linePurpose: 'martha', queueId: line.queueId ?? site.triageQueueId, ward: patientWard, priority: 1, category: 'martha_rule' };
    case 'pals':
      return { linePurpose: 'pals', queueId: line.queueId ?? site.triageQueueId, ward: patientWard, priority: 3, category: 'enquiry' };
    case 'ward': {
      const wardQueue =
        (patientWard === null ? undefined : site.queues.find((queue) => queue.ward === patientWard)) ??
        (line.queueId === undefined ? undefined : site.queues.find((queue) => queue.id === line.queueId));
      return { linePurpose: 'ward', queueId: wardQueue?.id ?? site.triageQueueId, ward: patientWard ?? wardQueue?.ward ?? null, priority: 3, category: 'other' };
    }
    default:
      throw missingCase(line.purpose);
  }
}

export function missingCase(value: never): Error {
  return new Error(`unhandled case: ${String(value)}`);
}
