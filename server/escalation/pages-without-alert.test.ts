// A page into a case that has no alert — opened in a queue without an escalation policy (PALS here, its demo policy
// left out), so it has no `case_alerts` row and the page is recorded in episode 0 — is addressed to the colleague paged
// like any other: listed in the tray a desk restores after sign-in (`alerts:mine`) and counted in "To you"
// (`alerts:counts` → `mine`), until a later acknowledgement, resolution or move ends it, and only while they see the
// queue. Otherwise it is a silent page (docs/clinical-safety.md H1, H6, H8). A real hub on a ManualClock, real
// socket.io desks; on SQLite and, when it is reachable, PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UserView } from '../../shared/domain';
import type { DeskEvent } from '../../shared/protocol';
import { ManualClock } from '../clock';
import type { SiteConfig } from '../config/site-config';
import type { Hub } from '../hub';
import { addStaff, commandId, DeskSet, inbound, LINES, type TestDesk } from '../testing/hub-harness';
import { postgres } from '../testing/services';
import { startHubOn, type StoreHub } from '../testing/test-stores';
import { addressedTo, advance, alertCounts, myAlerts, succeeded, JUNE_10_2026_10AM, MINUTE, send, testSite } from './escalation-testing';

const pgService = await postgres();

/** The test site with no escalation policy for PALS: its cases open with no deadlines, no ladder and no alert row. */
function siteWithoutPalsPolicy(): SiteConfig {
  const site = testSite();
  return { ...site, policies: (site.policies ?? []).filter((policy) => policy.queueId !== 'pals') };
}

const NOTHING = { listed: [], mine: 0 };
const ONE_PAGE = { listed: ['paged'], mine: 1 };

describe.each(['SQLite', 'PostgreSQL'] as const)('a page into a case with no alert (%s)', (storeName) => {
  const skip = storeName === 'PostgreSQL' && pgService.url === undefined;
  let hub: Hub;
  let clock: ManualClock;
  let running: StoreHub;
  let pals2: UserView;
  const desks = new DeskSet(() => hub);

  beforeEach(async () => {
    if (skip) return;
    clock = new ManualClock(JUNE_10_2026_10AM);
    running = await startHubOn(storeName, pgService.url, { clock, site: siteWithoutPalsPolicy() });
    hub = running.hub;
    await addStaff(hub, 'pals1', 'pals_officer');
    pals2 = await addStaff(hub, 'pals2', 'pals_officer');
    await addStaff(hub, 'pals3', 'pals_officer');
    await addStaff(hub, 'nurse1', 'ward_nurse', ['W1']);
  });

  afterEach(async () => {
    if (!skip) await running.stop(desks);
  });

  /** A message on the PALS line opens a case in the PALS queue, which has no escalation policy: no alert row. */
  async function palsCase(officer: TestDesk, from: string): Promise<DeskEvent['case']> {
    const { caseId } = await hub.receive(inbound(from, LINES.pals, 'Nobody has told us when Dad is going home.'));
    const opened = await officer.waitFor((event) => event.type === 'case.opened' && event.case.id === caseId);
    expect(opened.case.queueId).toBe('pals');
    expect(await hub.store.db.selectFrom('case_alerts').select('case_id').where('case_id', '=', caseId).executeTakeFirst()).toBeUndefined();
    return opened.case;
  }

  async function page(officer: TestDesk, caseId: string): Promise<DeskEvent> {
    const { version } = await hub.store.db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow();
    const before = officer.events.length;
    succeeded(await send(officer, 'page', { commandId: commandId(), caseId, version, userIds: [pals2.id] }));
    return officer.waitFor((event) => event.alert?.kind === 'paged' && event.case.id === caseId && officer.events.indexOf(event) >= before);
  }

  async function command(officer: TestDesk, name: 'acknowledge' | 'resolve' | 'triage', caseId: string, extra: Record<string, unknown> = {}): Promise<DeskEvent['case']> {
    const { version } = await hub.store.db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow();
    return succeeded(await send(officer, name, { commandId: commandId(), caseId, version, ...extra })).case;
  }

  it.skipIf(skip)('is listed and counted for the colleague paged, signed out at the time, and for nobody else, until the case is resolved', async () => {
    const pals1 = await desks.connect('pals1');
    const view = await palsCase(pals1, '+447700900741');
    clock.advance(MINUTE);
    const paged = await page(pals1, view.id);

    // Pals 2 signs in afterwards: the page is in her tray and her count, though no event reached her desk.
    const later = await desks.connect('pals2');
    expect(await myAlerts(later)).toEqual({
      ok: true,
      alerts: [{ seq: paged.seq, caseId: view.id, ref: view.ref, queueId: 'pals', kind: 'paged', level: 0, at: JUNE_10_2026_10AM + MINUTE }],
    });
    expect(await alertCounts(later)).toMatchObject({ ok: true, mine: 1 });
    // Not the one who paged, not another officer of the queue, not a nurse who does not see it.
    expect(await addressedTo(pals1)).toEqual(NOTHING);
    expect(await addressedTo(await desks.connect('pals3'))).toEqual(NOTHING);
    expect(await addressedTo(await desks.connect('nurse1'))).toEqual(NOTHING);

    // A note and an hour change nothing: the case is still open, and nobody has taken it.
    succeeded(await send(pals1, 'note', { commandId: commandId(), caseId: view.id, version: view.version, body: 'Daughter rang again.' }));
    await advance(hub, clock, 60 * MINUTE);
    expect(await addressedTo(later)).toEqual(ONE_PAGE);

    // Resolved: over for her, in the tray and the count.
    await command(pals1, 'resolve', view.id, { outcome: 'answered' });
    expect(await addressedTo(later)).toEqual(NOTHING);
  });

  it.skipIf(skip)('ends when someone acknowledges the case after it, while a page into the case already acknowledged stands until it moves to another queue (even back again)', async () => {
    const pals1 = await desks.connect('pals1');
    const later = await desks.connect('pals2');
    const view = await palsCase(pals1, '+447700900742');

    // Paged while open: listed. Then acknowledged by the officer who paged: someone has it, so the page is over.
    await page(pals1, view.id);
    expect(await addressedTo(later)).toEqual(ONE_PAGE);
    await command(pals1, 'acknowledge', view.id);
    expect(await addressedTo(later)).toEqual(NOTHING);

    // Paged again, into the acknowledged case: called in besides the holder, so it stands.
    clock.advance(MINUTE);
    await page(pals1, view.id);
    expect(await addressedTo(later)).toEqual(ONE_PAGE);

    // Moved to complaints (still acknowledged, still no alert row): over at the move, and not back with the case.
    const moved = await command(pals1, 'triage', view.id, { queueId: 'complaints' });
    expect(moved.status).toBe('acknowledged');
    expect(await addressedTo(later)).toEqual(NOTHING);
    await command(pals1, 'triage', view.id, { queueId: 'pals' });
    expect(await addressedTo(later)).toEqual(NOTHING);
  });

  it.skipIf(skip)('ends when the open case moves to another queue, even if it comes back', async () => {
    const pals1 = await desks.connect('pals1');
    const later = await desks.connect('pals2');
    const view = await palsCase(pals1, '+447700900743');
    await page(pals1, view.id);
    expect(await addressedTo(later)).toEqual(ONE_PAGE);

    // To triage, whose ladder (a new alert, from its first step two minutes on) has named nobody yet.
    const moved = await command(pals1, 'triage', view.id, { queueId: 'triage' });
    expect(moved.status).toBe('open');
    expect(await addressedTo(later)).toEqual(NOTHING);
    await command(pals1, 'triage', view.id, { queueId: 'pals' });
    expect(await addressedTo(later)).toEqual(NOTHING);
  });

  it.skipIf(skip)('is not listed or counted for the colleague paged once they no longer see the queue', async () => {
    const pals1 = await desks.connect('pals1');
    const view = await palsCase(pals1, '+447700900744');
    await page(pals1, view.id);
    expect(await addressedTo(await desks.connect('pals2'))).toEqual(ONE_PAGE);

    // Pals 2 now works as a ward nurse: PALS is out of her sight, and so is the page, though it named her.
    await hub.store.db.updateTable('users').set({ role: 'ward_nurse', wards: JSON.stringify(['W1']) }).where('id', '=', pals2.id).execute();
    expect(await addressedTo(await desks.connect('pals2'))).toEqual(NOTHING);
  });
});
