// Each queue's policy with its calendar built once (holidays included), looked up by queue id. Starts from the site
// config; an admin's edit (policy-editor.ts) replaces one queue's entry after its transaction commits.
import { calendarFromConfig, type Calendar } from '../../shared/business-hours';
import type { SiteConfig } from '../config/site-config';
import type { EscalationPolicy } from './policy-schema';

export interface QueuePolicy {
  policy: EscalationPolicy;
  calendar: Calendar;
}

export class PolicyBook {
  private readonly byQueue = new Map<string, QueuePolicy>();

  constructor(
    site: SiteConfig,
    private readonly holidays: readonly string[],
  ) {
    for (const policy of site.policies ?? []) this.replace(policy);
  }

  forQueue(queueId: string): QueuePolicy | undefined {
    return this.byQueue.get(queueId);
  }

  /** New alerts use it from now on; ladders already running keep the snapshot they started with. */
  replace(policy: EscalationPolicy): void {
    this.byQueue.set(policy.queueId, { policy, calendar: calendarFromConfig(policy.calendar, this.holidays) });
  }
}
