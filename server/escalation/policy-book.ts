// Each queue's policy with its calendar built once (holidays included), looked up by queue id.
import { calendarFromConfig, type Calendar } from '../../shared/business-hours';
import type { SiteConfig } from '../config/site-config';
import type { EscalationPolicy } from './policy-schema';

export interface QueuePolicy {
  policy: EscalationPolicy;
  calendar: Calendar;
}

export class PolicyBook {
  private readonly byQueue = new Map<string, QueuePolicy>();

  constructor(site: SiteConfig, holidays: readonly string[]) {
    for (const policy of site.policies ?? []) this.byQueue.set(policy.queueId, { policy, calendar: calendarFromConfig(policy.calendar, holidays) });
  }

  forQueue(queueId: string): QueuePolicy | undefined {
    return this.byQueue.get(queueId);
  }
}
