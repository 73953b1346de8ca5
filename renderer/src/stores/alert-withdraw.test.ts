// H1 on the desk: a native notification does not outlive its alert. When a colleague acknowledges or resolves a case,
// the open desk asks the machine to take down the notifications it raised for it (the Martha's Rule call, the alert
// addressed to this user) by the keys it raised them with, and leaves the other cases' up. Real hub on a
// ManualClock, real socket.io, real desk stores; the machine is the recording stand-in of the store harness.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesktopAlert } from '../../../shared/bridge';
import { DeskPool, until } from '../../../e2e/support/store-harness';
import { ManualClock } from '../../../server/clock';
import { JUNE_10_2026_10AM, nobodyReachableCall, testSite } from '../../../server/escalation/escalation-testing';
import type { Hub } from '../../../server/hub';
import { addStaff, inbound, LINES, startHub, stopHub, TEST_PASSWORD } from '../../../server/testing/hub-harness';

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

function keysFor(shown: readonly DesktopAlert[], caseId: string): (string | undefined)[] {
  return shown.filter((alert) => alert.caseId === caseId).map((alert) => alert.key);
}

describe('native notifications of an open desk', () => {
  it('are withdrawn when a colleague acknowledges or resolves their case, by the keys they were shown with, and only theirs', async () => {
    const { desk: boss, shown, withdrawn } = await desks.signInLinked(hub.url, { username: 'boss', password: TEST_PASSWORD });
    const sam = await desks.signIn(hub.url, { username: 'sam', password: TEST_PASSWORD });
    const first = await nobodyReachableCall(hub, '+447700900821');
    const second = await nobodyReachableCall(hub, '+447700900822');
    // The recording arrays are not observable: wait on the desk state the notifications follow (synchronously).
    await until(() => boss.alerts.tray.filter((entry) => entry.kind === 'nobody_reachable').length === 2, 'both nobody-reachable alerts in boss’s tray');
    const firstKeys = keysFor(shown, first);
    const secondKeys = keysFor(shown, second);
    // The call itself and the alert addressed to boss, each with a key.
    expect(shown.filter((alert) => alert.caseId === first).map((alert) => alert.kind).sort()).toEqual(['martha', 'nobody_reachable']);
    expect(firstKeys.every((key) => key !== undefined)).toBe(true);
    expect(withdrawn).toEqual([]);

    await until(() => sam.cases.get(first) !== undefined && sam.cases.get(second) !== undefined, 'calls on sam’s desk');
    expect(await sam.cases.acknowledge(first)).toBe(true);
    await until(() => boss.cases.get(first)?.status === 'acknowledged' && boss.alerts.tray.every((entry) => entry.caseId !== first), 'first call acknowledged on boss’s desk');
    expect([...withdrawn].sort()).toEqual([...firstKeys].sort());

    // Resolved without an acknowledgement: its notifications go too.
    expect(await sam.cases.resolve(second, 'review_done')).toBe(true);
    await until(() => boss.cases.get(second)?.status === 'resolved' && boss.alerts.tray.length === 0, 'second call resolved on boss’s desk');
    expect(withdrawn.slice(2).sort()).toEqual([...secondKeys].sort());
    expect(boss.alerts.tray.slice()).toEqual([]);
  });

  it('shows a Martha’s Rule call again when it is handed back: waiting once more, it needs someone anew', async () => {
    const { desk: boss, shown, withdrawn } = await desks.signInLinked(hub.url, { username: 'boss', password: TEST_PASSWORD });
    const sam = await desks.signIn(hub.url, { username: 'sam', password: TEST_PASSWORD });
    const { caseId } = await hub.receive(inbound('+447700900823', LINES.martha, 'Mum is confused and hot'));
    await until(() => boss.alerts.active.some((alert) => alert.caseView.id === caseId), 'the call on boss’s desk');
    const callKey = `martha:${caseId}`;
    expect(shown.filter((alert) => alert.key === callKey)).toHaveLength(1);

    await until(() => sam.cases.get(caseId) !== undefined, 'the call on sam’s desk');
    expect(await sam.cases.acknowledge(caseId)).toBe(true);
    await until(() => boss.cases.get(caseId)?.status === 'acknowledged', 'acknowledged on boss’s desk');
    expect(withdrawn).toContain(callKey);

    expect(await sam.cases.unacknowledge(caseId)).toBe(true);
    await until(() => boss.cases.get(caseId)?.status === 'open', 'handed back on boss’s desk');
    expect(shown.filter((alert) => alert.key === callKey)).toHaveLength(2);
  });
});
