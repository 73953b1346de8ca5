// H1/H8 on the desk: an alert addressed to someone whose desk was not open (or was reloaded) is in their tray and
// counts once they sign in — shown, not sounded again — and is gone after a reload once someone acknowledged it.
// Real hub on a ManualClock (its ladder fires when the test says), real socket.io, real desk stores.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeskPool, until } from '../../../e2e/support/store-harness';
import { ManualClock } from '../../../server/clock';
import { JUNE_10_2026_10AM, nobodyReachableCall, testSite } from '../../../server/escalation/escalation-testing';
import type { Hub } from '../../../server/hub';
import { addStaff, startHub, stopHub, TEST_PASSWORD } from '../../../server/testing/hub-harness';

let hub: Hub;
const desks = new DeskPool();

beforeEach(async () => {
  hub = await startHub({ clock: new ManualClock(JUNE_10_2026_10AM), site: testSite() });
  await addStaff(hub, 'sam', 'outreach');
  await addStaff(hub, 'boss', 'admin');
});

afterEach(async () => {
  desks.disposeAll();
  await stopHub(hub);
});

describe('alerts addressed to a user whose desk was not open', () => {
  it('a desk signing in after a nobody-reachable alert has the tray entry, silently, and the counts', async () => {
    const caseId = await nobodyReachableCall(hub, '+447700900801');

    const { desk: boss, shown } = await desks.signInLinked(hub.url, { username: 'boss', password: TEST_PASSWORD }, { alertCountsDebounceMs: 50 });
    await until(() => boss.alerts.tray.length > 0, 'tray entry restored');
    expect(boss.alerts.tray.slice()).toEqual([expect.objectContaining({ kind: 'nobody_reachable', caseId, forMe: true, restored: true })]);
    expect(boss.alerts.unseenCount).toBe(1);
    await until(() => boss.alertCounts.loaded, 'counts');
    expect(boss.alertCounts.mine).toBe(1);
    expect(boss.alertCounts.forQueue('outreach')).toBe(1);
    // Said once, politely, as a summary; no native notification or flash for something announced before.
    expect(boss.notices.politeAnnouncements.map((entry) => entry.text)).toContain('1 alert sent to you not yet dealt with: see the alert tray.');
    expect(shown).toEqual([expect.objectContaining({ kind: 'martha' })]);

    // A second one while the desk is open: it arrives live, sounds, and the counts follow without a reload.
    const second = await nobodyReachableCall(hub, '+447700900802');
    await until(() => boss.alertCounts.mine === 2, 'mine counts the live alert');
    expect(boss.alerts.tray[0]).toMatchObject({ kind: 'nobody_reachable', caseId: second, restored: false });
    expect(shown.filter((alert) => alert.kind === 'nobody_reachable').map((alert) => alert.caseId)).toEqual([second]);

    // Sam acknowledges the first: the counts drop on the open desk, and a reload brings back only the second.
    const sam = await desks.signIn(hub.url, { username: 'sam', password: TEST_PASSWORD });
    await until(() => sam.cases.get(caseId) !== undefined, 'case on sam’s desk');
    expect(await sam.cases.acknowledge(caseId)).toBe(true);
    await until(() => boss.alertCounts.mine === 1, 'mine drops after the acknowledgement');
    expect(boss.alertCounts.forQueue('outreach')).toBe(1);

    const { desk: reloaded, shown: shownAfterReload } = await desks.signInLinked(hub.url, { username: 'boss', password: TEST_PASSWORD }, { alertCountsDebounceMs: 50 });
    await until(() => reloaded.alerts.tray.length > 0 && reloaded.alertCounts.loaded, 'reloaded tray and counts');
    expect(reloaded.alerts.tray.map((entry) => entry.caseId)).toEqual([second]);
    expect(reloaded.alertCounts.mine).toBe(1);
    expect(shownAfterReload.filter((alert) => alert.kind === 'nobody_reachable')).toEqual([]);
  });
});
