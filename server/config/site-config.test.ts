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
