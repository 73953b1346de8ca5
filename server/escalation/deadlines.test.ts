// Working-day deadlines across the clock changes (last Sundays of March and October) and English bank holidays:
// the pure arithmetic, then the same rules as a real hub stores them on PALS and complaints cases, including a
// bank-holiday table replaced from the data dir.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calendarFromConfig } from '../../shared/business-hours';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../shared/bank-holidays';
import { ManualClock } from '../clock';
import { demoSiteConfig } from '../config/site-config';
import { inbound, LINES, removeDir, startHub, stopHub, tempDataDir } from '../testing/hub-harness';
import { BANK_HOLIDAYS_FILE } from './bank-holiday-file';
import { caseDeadlines, warningInstants } from './deadlines';
import { demoPolicies } from './policy-schema';

const policies = demoPolicies([]);
const pals = policies.find((policy) => policy.queueId === 'pals')!;
const complaints = policies.find((policy) => policy.queueId === 'complaints')!;
const office = calendarFromConfig(pals.calendar, ENGLAND_AND_WALES_BANK_HOLIDAYS);
const london = (iso: string) => Date.parse(iso);

describe('working-day deadlines', () => {
  it('keeps the local time across the spring clock change (Sunday 29 March 2026)', () => {
    // Friday 27 March 10:00 GMT + 2 working days = Tuesday 31 March 10:00 BST, which is 09:00 UTC.
    const opened = london('2026-03-27T10:00:00Z');
    expect(caseDeadlines(pals, office, opened).acknowledge).toBe(london('2026-03-31T09:00:00Z'));
  });

  it('keeps the local time across the autumn clock change (Sunday 25 October 2026)', () => {
    // Friday 23 October 10:00 BST (09:00 UTC) + 2 working days = Tuesday 27 October 10:00 GMT (10:00 UTC).
    const opened = london('2026-10-23T09:00:00Z');
    expect(caseDeadlines(pals, office, opened).acknowledge).toBe(london('2026-10-27T10:00:00Z'));
  });

  it('skips Good Friday and Easter Monday', () => {
    // Thursday 2 April 2026 15:00 BST: Fri 3 (Good Friday), weekend, Mon 6 (Easter Monday) do not count.
    const opened = london('2026-04-02T14:00:00Z');
    expect(caseDeadlines(pals, office, opened).acknowledge).toBe(london('2026-04-08T14:00:00Z'));
    // Resolve in 10 working days: 7–10, 13–17, 20 April.
    expect(caseDeadlines(pals, office, opened).resolve).toBe(london('2026-04-20T14:00:00Z'));
  });

  it('skips Christmas and the substitute Boxing Day for a complaint', () => {
    // Wednesday 23 December 2026 12:00: Thu 24 (1), Fri 25 and Mon 28 are holidays, Tue 29 (2), Wed 30 (3).
    expect(caseDeadlines(complaints, office, london('2026-12-23T12:00:00Z')).acknowledge).toBe(london('2026-12-30T12:00:00Z'));
  });

  it('counts a call that arrives at the weekend from the close of the last working day', () => {
    // Saturday 13 June 2026: from Friday 17:00 BST, 2 working days → Tuesday 16 June 17:00 BST.
    expect(caseDeadlines(pals, office, london('2026-06-13T10:00:00Z')).acknowledge).toBe(london('2026-06-16T16:00:00Z'));
  });

  it('places warnings on opening hours, not wall-clock hours', () => {
    // Friday 17:00 → Tuesday 17:00 is two working days (16 opening hours); half of that is Monday 17:00, not Sunday.
    const opened = london('2026-06-12T16:00:00Z');
    const due = london('2026-06-16T16:00:00Z');
    expect(warningInstants(opened, due, [0.5], office)).toEqual([london('2026-06-15T16:00:00Z')]);
  });
});

describe('deadlines stored by a real hub', () => {
  it('stores PALS and complaints deadlines on the case, and honours a bank-holiday table dropped into the data dir', async () => {
    const site = demoSiteConfig();
    const pastEaster = new ManualClock(london('2026-04-02T14:00:00Z'));
    const plain = await startHub({ clock: pastEaster, site });
    try {
      const { caseId } = await plain.receive(inbound('+447700900501', LINES.pals, 'I would like to talk about my mother\'s discharge'));
      const row = await plain.store.db.selectFrom('cases').select(['ack_due_at', 'resolve_due_at', 'queue_id']).where('id', '=', caseId).executeTakeFirstOrThrow();
      expect(row).toEqual({ queue_id: 'pals', ack_due_at: london('2026-04-08T14:00:00Z'), resolve_due_at: london('2026-04-20T14:00:00Z') });
    } finally {
      await stopHub(plain);
    }

    // A one-off holiday proclaimed on Tuesday 7 April: the deadline moves a day.
    const dataDir = tempDataDir();
    writeFileSync(join(dataDir, BANK_HOLIDAYS_FILE), JSON.stringify([...ENGLAND_AND_WALES_BANK_HOLIDAYS, '2026-04-07']));
    const proclaimed = await startHub({ clock: new ManualClock(london('2026-04-02T14:00:00Z')), site, dataDir });
    try {
      const { caseId } = await proclaimed.receive(inbound('+447700900501', LINES.pals, 'Hello'));
      const row = await proclaimed.store.db.selectFrom('cases').select(['ack_due_at']).where('id', '=', caseId).executeTakeFirstOrThrow();
      expect(row.ack_due_at).toBe(london('2026-04-09T14:00:00Z'));
    } finally {
      await proclaimed.close();
    }

    // A broken table stops the hub with the reason, rather than counting a holiday as a working day.
    writeFileSync(join(dataDir, BANK_HOLIDAYS_FILE), JSON.stringify(['2026-02-30']));
    await expect(startHub({ site, dataDir })).rejects.toThrow(/bank-holidays\.json is not a list of YYYY-MM-DD dates/);
    removeDir(dataDir);
  });

  it('refuses a site config whose policy names an unknown queue or gives one queue two policies', async () => {
    const { SiteConfigSchema } = await import('../config/site-config');
    const site = demoSiteConfig();
    const unknown = SiteConfigSchema.safeParse({ ...site, policies: [{ ...pals, queueId: 'nowhere' }] });
    expect(unknown.success).toBe(false);
    const twice = SiteConfigSchema.safeParse({ ...site, policies: [pals, pals] });
    expect(twice.success).toBe(false);
    expect(SiteConfigSchema.safeParse(site).success).toBe(true);
  });
});
