// The escalation policy schemas live in shared/escalation-policy.ts (the desk's policy editor uses them too); this
// module adds the demo hospital's policies.
import type { EscalationPolicy } from '../../shared/escalation-policy';

export * from '../../shared/escalation-policy';

const OFFICE_HOURS = { kind: 'business', timeZone: 'Europe/London', days: [1, 2, 3, 4, 5], opens: '09:00', closes: '17:00' } as const;

/** The demo's policies, from the escalation issue: Martha's Rule 5 min 24/7, wards 15 min, PALS 2/10 working days, complaints 3. */
export function demoPolicies(wardQueueIds: readonly string[]): EscalationPolicy[] {
  const wardPolicy = (queueId: string): EscalationPolicy => ({
    queueId,
    calendar: { kind: '24x7' },
    acknowledgeBy: { minutes: 15 },
    firstResponseBy: { minutes: 60 },
    warnAt: [0.5, 0.8],
    acknowledgedTimeoutMinutes: 120,
    maxSilenceMinutes: 30,
    ladder: {
      steps: [
        // The case.opened event already reaches every desk of the queue; the ladder starts naming people after that.
        { afterMinutes: 2, notify: { kind: 'on_shift', role: 'ward_nurse', ward: 'case' } },
        { afterMinutes: 10, notify: { kind: 'team', role: 'ward_nurse', ward: 'case' } },
        { afterMinutes: 10, notify: { kind: 'team', role: 'admin' } },
      ],
      repeat: 1,
      repeatAfterMinutes: 10,
    },
  });
  return [
    {
      queueId: 'outreach',
      calendar: { kind: '24x7' },
      acknowledgeBy: { minutes: 5 },
      firstResponseBy: { minutes: 15 },
      warnAt: [0.5, 0.8],
      acknowledgedTimeoutMinutes: 60,
      // A Martha's Rule call is answered in minutes: a silence longer than a quarter of an hour is a call forgotten.
      maxSilenceMinutes: 15,
      // DOMAIN.md: the family is told at once that the call is received and when to expect a response.
      firstReply: true,
      ladder: {
        steps: [
          // case.opened reaches every outreach desk at once; after a minute unseen, the on-shift nurse is called by name.
          { afterMinutes: 1, notify: { kind: 'on_shift', role: 'outreach' } },
          { afterMinutes: 2, notify: { kind: 'team', role: 'outreach' } },
          { afterMinutes: 2, notify: { kind: 'team', role: 'admin' } },
        ],
        repeat: 2,
        repeatAfterMinutes: 2,
        // Rounds end about 19 minutes after the call; a call still not taken then must not go quiet (DOMAIN.md:
        // "escalation silently stalling"): the administrators again every 2 minutes until someone acknowledges.
        lastStepUntilAcknowledged: true,
      },
    },
    ...wardQueueIds.map(wardPolicy),
    {
      queueId: 'pals',
      calendar: { ...OFFICE_HOURS, days: [...OFFICE_HOURS.days] },
      acknowledgeBy: { workingDays: 2 },
      resolveBy: { workingDays: 10 },
      warnAt: [0.5, 0.8],
      maxSilenceMinutes: 240,
      ladder: { steps: [{ afterMinutes: 0, notify: { kind: 'team', role: 'pals_officer' } }], repeat: 0, repeatAfterMinutes: 60 },
    },
    {
      queueId: 'complaints',
      calendar: { ...OFFICE_HOURS, days: [...OFFICE_HOURS.days] },
      acknowledgeBy: { workingDays: 3 },
      warnAt: [0.5, 0.8],
      maxSilenceMinutes: 240,
      ladder: { steps: [{ afterMinutes: 0, notify: { kind: 'team', role: 'pals_officer' } }], repeat: 0, repeatAfterMinutes: 60 },
    },
  ];
}
