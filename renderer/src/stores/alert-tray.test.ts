// H1/H8 on the desk: the alert tray follows the hub while the desk is open. An entry leaves it on the event that ends
// its alert — a colleague's acknowledgement, a resolution — on every desk of its user at once, as a reload would show;
// the case's other entries and other cases' stay. Real hub on a ManualClock, real socket.io, real desk stores.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AnswerGate, createDeskStore, DeskPool, until } from '../../../e2e/support/store-harness';
import { ManualClock } from '../../../server/clock';
import { JUNE_10_2026_10AM, nobodyReachableCall, MINUTE, testSite } from '../../../server/escalation/escalation-testing';
import type { Hub } from '../../../server/hub';
import { addStaff, startHub, stopHub, TEST_PASSWORD } from '../../../server/testing/hub-harness';
import type { RootStore } from './root-store';

let hub: Hub;
let clock: ManualClock;
const desks = new DeskPool();

beforeEach(async () => {
  clock = new ManualClock(JUNE_10_2026_10AM);
  hub = await startHub({ clock, site: testSite() });
  await addStaff(hub, 'sam', 'outreach');
  await addStaff(hub, 'boss', 'admin');
});

afterEach(async () => {
  desks.disposeAll();
  await stopHub(hub);
});

function signIn(username: string): Promise<RootStore> {
  return desks.signIn(hub.url, { username, password: TEST_PASSWORD });
}

function trayCases(desk: RootStore): string[] {
  return desk.alerts.tray.map((entry) => `${entry.kind} ${entry.caseId}`);
}

describe('the alert tray of an open desk', () => {
  it('loses an entry on every desk of its user when a colleague acknowledges its case, keeping the other cases; and when the user acknowledges or a colleague resolves', async () => {
    // The same administrator on two PCs, both open when the alerts arrive.
    const [office, ward] = [await signIn('boss'), await signIn('boss')];
    const sam = await signIn('sam');
    const first = await nobodyReachableCall(hub, '+447700900811');
    const second = await nobodyReachableCall(hub, '+447700900812');
    // Halfway to the five-minute acknowledge-by: a queue-wide warning on each call as well.
    clock.advance(3 * MINUTE);
    await hub.escalation.scheduler.advanceTo();
    const full = [`warning ${second}`, `warning ${first}`, `nobody_reachable ${second}`, `nobody_reachable ${first}`];
    for (const desk of [office, ward]) await until(() => desk.alerts.tray.length === 4, 'four entries');
    expect(trayCases(office).sort()).toEqual([...full].sort());
    expect(trayCases(ward).sort()).toEqual([...full].sort());
    expect(office.alerts.unseenCount).toBe(4);

    // Sam acknowledges the first call: both of boss's desks drop every entry of it, live, and say why.
    await until(() => sam.cases.get(first) !== undefined, 'call on sam’s desk');
    expect(await sam.cases.acknowledge(first)).toBe(true);
    for (const desk of [office, ward]) await until(() => desk.alerts.tray.length === 2, 'first call out of the tray');
    expect(trayCases(office).sort()).toEqual([`nobody_reachable ${second}`, `warning ${second}`]);
    expect(trayCases(ward).sort()).toEqual([`nobody_reachable ${second}`, `warning ${second}`]);
    expect(office.alerts.unseenCount).toBe(2);
    const firstRef = office.cases.get(first)?.ref;
    expect(office.notices.politeAnnouncements.map((entry) => entry.text)).toContain(`Acknowledged by Sam: case ${firstRef}, taken out of your alert tray.`);
    // The hub agrees: what a reload brings back is what the open desk shows.
    const reloaded = await signIn('boss');
    await until(() => reloaded.alerts.tray.length > 0, 'reloaded tray');
    expect(trayCases(reloaded)).toEqual([`nobody_reachable ${second}`]);

    // Boss acknowledges the second on one PC: the other PC's tray follows, and nobody tells boss what boss did.
    await until(() => office.cases.get(second) !== undefined, 'second call on boss’s desk');
    expect(await office.cases.acknowledge(second)).toBe(true);
    for (const desk of [office, ward, reloaded]) await until(() => desk.alerts.tray.length === 0, 'tray empty');
    const secondRef = office.cases.get(second)?.ref;
    for (const desk of [office, ward]) expect(desk.notices.politeAnnouncements.map((entry) => entry.text).filter((text) => text.includes(`case ${secondRef},`))).toEqual([]);

    // A third call resolved by Sam without an acknowledgement: resolving ends it too.
    const third = await nobodyReachableCall(hub, '+447700900813');
    for (const desk of [office, ward]) await until(() => desk.alerts.tray.some((entry) => entry.caseId === third), 'third call in the tray');
    await until(() => sam.cases.get(third) !== undefined, 'third call on sam’s desk');
    expect(await sam.cases.resolve(third, 'review_done')).toBe(true);
    for (const desk of [office, ward]) await until(() => desk.alerts.tray.length === 0, 'third call out of the tray');
    expect(ward.notices.politeAnnouncements.map((entry) => entry.text)).toContain(`Resolved by Sam: case ${ward.cases.get(third)?.ref}, taken out of your alert tray.`);
  });

  it('does not put back an alert the hub listed when its acknowledgement reached the desk before the list did', async () => {
    const caseId = await nobodyReachableCall(hub, '+447700900814');
    const sam = await signIn('sam');

    // Boss signs in; the hub answers alerts:mine with the alert, and that answer is held on the way.
    let gate: AnswerGate | undefined;
    const boss = desks.add(createDeskStore(hub.url, { wrapTransport: (inner) => (gate = new AnswerGate(inner)) }));
    if (gate === undefined) throw new Error('the transport was not wrapped');
    const held = gate.holdNext('alerts:mine');
    if (!(await boss.session.login('boss', TEST_PASSWORD))) throw new Error('login failed for boss');
    expect(await held.answered).toEqual({ ok: true, alerts: [expect.objectContaining({ caseId, kind: 'nobody_reachable' })] });

    // Meanwhile Sam acknowledges, and the event reaches boss's desk first.
    await until(() => sam.cases.get(caseId) !== undefined, 'call on sam’s desk');
    expect(await sam.cases.acknowledge(caseId)).toBe(true);
    await until(() => boss.cases.get(caseId)?.status === 'acknowledged', 'acknowledgement on boss’s desk');
    held.release();
    // The held answer is handed over in promise callbacks: one turn of the event loop later it has been applied.
    await new Promise((resolve) => setImmediate(resolve));
    expect(boss.alerts.tray.slice()).toEqual([]);
    expect(boss.notices.politeAnnouncements.map((entry) => entry.text)).not.toContain('1 alert sent to you not yet dealt with: see the alert tray.');
  });
});
