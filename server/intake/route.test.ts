import { describe, expect, it } from 'vitest';
import { demoSiteConfig, SiteConfigSchema, type Line, type SiteConfig } from '../config/site-config';
import { routeInbound } from './route';

/** The demo hospital, plus a number that serves Ward 3 alone. */
const WARD_3_LINE: Line = { address: '+447700900444', name: 'Ward 3', purpose: 'ward', queueId: 'ward-W3' };
const site: SiteConfig = SiteConfigSchema.parse({ ...demoSiteConfig(), lines: [...demoSiteConfig().lines, WARD_3_LINE] });
const line = (purpose: Line['purpose'], queueId?: string) => site.lines.find((candidate) => candidate.purpose === purpose && candidate.queueId === queueId);

describe('routeInbound: where a new conversation opens', () => {
  it.each([
    ["Martha's Rule line, patient unknown", line('martha', 'outreach'), null, { queueId: 'outreach', ward: null, priority: 1, category: 'martha_rule', linePurpose: 'martha' }],
    ["Martha's Rule line, patient on W2 (the ward is kept for the ladder)", line('martha', 'outreach'), 'W2', { queueId: 'outreach', ward: 'W2', priority: 1, category: 'martha_rule' }],
    ['PALS line', line('pals', 'pals'), null, { queueId: 'pals', ward: null, priority: 3, category: 'enquiry', linePurpose: 'pals' }],
    ['shared ward line, patient on W2', line('ward'), 'W2', { queueId: 'ward-W2', ward: 'W2', priority: 3, linePurpose: 'ward' }],
    ['shared ward line, patient unknown: triage', line('ward'), null, { queueId: 'triage', ward: null }],
    ['shared ward line, patient on a ward with no queue: triage', line('ward'), 'W9', { queueId: 'triage', ward: 'W9' }],
    ["Ward 3's own line, patient unknown: Ward 3, with its ward set", WARD_3_LINE, null, { queueId: 'ward-W3', ward: 'W3' }],
    ["Ward 3's own line, patient known to be on W1: the patient's ward wins", WARD_3_LINE, 'W1', { queueId: 'ward-W1', ward: 'W1' }],
    ['a number that is not a line: triage, never dropped', undefined, null, { queueId: 'triage', ward: null, linePurpose: 'ward' }],
  ])('%s', (_name, to, patientWard, expected) => {
    expect(routeInbound(site, to, patientWard)).toMatchObject(expected);
  });
});

describe('site config: ward lines', () => {
  it("refuses a ward line that names a queue which is not a ward's", () => {
    const parsed = SiteConfigSchema.safeParse({ ...demoSiteConfig(), lines: [...demoSiteConfig().lines, { ...WARD_3_LINE, queueId: 'pals' }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.message)).toEqual(["ward line +447700900444 names pals, which is not a ward's queue"]);
  });
});
