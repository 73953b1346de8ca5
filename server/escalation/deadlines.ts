// Deadline arithmetic for a policy: pure, so each rule (DST, bank holidays, business minutes) is a plain test.
import { addBusinessMinutes, addWorkingDays, businessMinutesBetween, type Calendar } from '../../shared/business-hours';
import type { DeadlineName } from '../../shared/protocol';
import type { Duration, EscalationPolicy } from './policy-schema';

export function deadlineAfter(fromMs: number, duration: Duration, calendar: Calendar): number {
  return 'minutes' in duration ? addBusinessMinutes(fromMs, duration.minutes, calendar) : addWorkingDays(fromMs, duration.workingDays, calendar);
}

/**
 * When each warning falls: the given fraction of the time allowed, counted on the policy's own calendar — half of
 * two working days is one working day of opening hours, not 24 hours that may end on a Sunday.
 */
export function warningInstants(fromMs: number, dueMs: number, fractions: readonly number[], calendar: Calendar): number[] {
  const allowed = businessMinutesBetween(fromMs, dueMs, calendar);
  return [...fractions].sort((a, b) => a - b).map((fraction) => Math.min(dueMs, addBusinessMinutes(fromMs, allowed * fraction, calendar)));
}

export interface CaseDeadlines {
  acknowledge: number;
  first_response: number | null;
  resolve: number | null;
}

export function caseDeadlines(policy: EscalationPolicy, calendar: Calendar, openedAt: number): CaseDeadlines {
  return {
    acknowledge: deadlineAfter(openedAt, policy.acknowledgeBy, calendar),
    first_response: policy.firstResponseBy === undefined ? null : deadlineAfter(openedAt, policy.firstResponseBy, calendar),
    resolve: policy.resolveBy === undefined ? null : deadlineAfter(openedAt, policy.resolveBy, calendar),
  };
}

/** The instants one deadline's chain fires at: each warning, then the breach itself (last). */
export function deadlineChain(name: DeadlineName, openedAt: number, dueAt: number, policy: EscalationPolicy, calendar: Calendar): { deadline: DeadlineName; at: number[]; fractions: number[] } {
  const fractions = [...policy.warnAt].sort((a, b) => a - b);
  return { deadline: name, at: [...warningInstants(openedAt, dueAt, fractions, calendar), dueAt], fractions };
}
