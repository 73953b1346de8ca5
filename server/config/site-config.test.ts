import { describe, expect, it } from 'vitest';
import { demoSiteConfig, shiftLimits, SiteConfigSchema } from './site-config';

describe('site config: shift limits', () => {
  it('defaults to a 12.5-hour shift and a 14-hour maximum, and refuses a default longer than the maximum', () => {
    expect(shiftLimits(SiteConfigSchema.parse(demoSiteConfig()))).toEqual({ defaultMinutes: 750, maxMinutes: 840 });
    expect(shiftLimits(SiteConfigSchema.parse({ ...demoSiteConfig(), shifts: { maxMinutes: 780 } }))).toEqual({ defaultMinutes: 750, maxMinutes: 780 });
    const refused = SiteConfigSchema.safeParse({ ...demoSiteConfig(), shifts: { defaultMinutes: 900, maxMinutes: 840 } });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => issue.message)).toEqual(['shifts.defaultMinutes cannot be longer than shifts.maxMinutes']);
    expect(SiteConfigSchema.safeParse({ ...demoSiteConfig(), shifts: { maxMinutes: 2000 } }).success).toBe(false);
    expect(SiteConfigSchema.safeParse({ ...demoSiteConfig(), shifts: { maxHours: 14 } }).success).toBe(false);
  });
});

describe('site config: lines', () => {
  it("refuses a Martha's Rule line whose calls would open in a queue outreach staff do not see", () => {
    const demo = demoSiteConfig();
    const lines = demo.lines.map((line) => (line.purpose === 'martha' ? { ...line, queueId: 'pals' } : line));
    const refused = SiteConfigSchema.safeParse({ ...demo, lines });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => issue.message)).toEqual([
      "Martha's Rule line +447700900111 opens calls in pals, which outreach staff do not see (roles: pals_officer)",
    ]);
    const sharedWithOutreach = demo.queues.map((queue) => (queue.id === 'pals' ? { ...queue, roles: [...queue.roles, 'outreach' as const] } : queue));
    expect(SiteConfigSchema.safeParse({ ...demo, lines, queues: sharedWithOutreach }).success).toBe(true);
    expect(SiteConfigSchema.safeParse(demo).success).toBe(true);
  });
});
