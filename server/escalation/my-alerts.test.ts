// `alerts:mine` on a real hub with real sockets: the tray a desk restores after sign-in lists the unacknowledged
// alerts addressed to its user, in the queues that user sees now, and nothing that was acknowledged meanwhile.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MyAlertsResult } from '../../shared/protocol';
import { ManualClock } from '../clock';
import type { Hub } from '../hub';
import { addStaff, commandId, DeskSet, inbound, LINES, startHub, stopHub, type TestDesk } from '../testing/hub-harness';
import { advance, alertCounts, JUNE_10_2026_10AM, MINUTE, send, setShift, testSite } from './escalation-testing';

function myAlerts(desk: TestDesk): Promise<MyAlertsResult> {
  return new Promise((resolve) => desk.socket.emit('alerts:mine', {}, resolve));
}

describe('alerts:mine', () => {
  let hub: Hub;
  let clock: ManualClock;
  let nurse1: TestDesk;
  let nurse2: TestDesk;
  const desks = new DeskSet(() => hub);

  beforeEach(async () => {
    clock = new ManualClock(JUNE_10_2026_10AM);
    hub = await startHub({ clock, site: testSite() });
    await addStaff(hub, 'nurse1', 'ward_nurse', ['W1']);
    await addStaff(hub, 'nurse2', 'ward_nurse', ['W2']);
    [nurse1, nurse2] = await Promise.all([desks.connect('nurse1'), desks.connect('nurse2')]);
    await setShift(nurse1, true);
    await setShift(nurse2, true);
  });

  afterEach(() => stopHub(hub, desks));

  /** A ward-line message lands in triage; a nurse moves it to the ward's queue, whose ladder starts from there. */
  async function wardCase(from: string, queueId: string): Promise<string> {
    const { caseId } = await hub.receive(inbound(from, LINES.ward, 'Is my dad comfortable tonight?'));
    const opened = await nurse1.waitFor((event) => event.case.id === caseId);
    expect(await send(nurse1, 'triage', { commandId: commandId(), caseId, version: opened.case.version, queueId })).toMatchObject({ ok: true });
    return caseId;
  }

  it("lists the unacknowledged alerts escalated to this user, not another ward's, and drops one once acknowledged", async () => {
    const ward1Case = await wardCase('+447700900701', 'ward-W1');
    const ward2Case = await wardCase('+447700900702', 'ward-W2');
    // The ward ladder's first step: the on-shift nurse of the case's ward, two minutes on.
    await advance(hub, clock, 2 * MINUTE);
    const toNurse1 = await nurse1.waitFor((event) => event.type === 'alert.escalated' && event.case.id === ward1Case);
    const toNurse2 = await nurse2.waitFor((event) => event.type === 'alert.escalated' && event.case.id === ward2Case);

    expect(await myAlerts(nurse1)).toEqual({
      ok: true,
      alerts: [{ seq: toNurse1.seq, caseId: ward1Case, ref: toNurse1.case.ref, kind: 'escalated', level: 0, at: JUNE_10_2026_10AM + 2 * MINUTE }],
    });
    expect(await myAlerts(nurse2)).toMatchObject({ ok: true, alerts: [{ seq: toNurse2.seq, caseId: ward2Case, kind: 'escalated' }] });

    // Acknowledged by anyone: no longer the user's to see to, so it does not come back after a reload.
    expect(await send(nurse2, 'acknowledge', { commandId: commandId(), caseId: ward2Case, version: toNurse2.case.version })).toMatchObject({ ok: true });
    expect(await myAlerts(nurse2)).toEqual({ ok: true, alerts: [] });
    expect(await alertCounts(nurse2)).toMatchObject({ ok: true, mine: 0 });
    expect(await myAlerts(nurse1)).toMatchObject({ ok: true, alerts: [{ caseId: ward1Case }] });
  });

  it('stops listing an alert on a ward the user no longer works on', async () => {
    const ward1Case = await wardCase('+447700900703', 'ward-W1');
    await advance(hub, clock, 2 * MINUTE);
    await nurse1.waitFor((event) => event.type === 'alert.escalated' && event.case.id === ward1Case);
    expect(await myAlerts(await desks.connect('nurse1'))).toMatchObject({ ok: true, alerts: [{ caseId: ward1Case }] });

    // Moved to ward 2: the W1 case is out of her sight, and so is its alert, though it named her.
    const user = await hub.store.db.selectFrom('users').select('id').where('username', '=', 'nurse1').executeTakeFirstOrThrow();
    await hub.store.db.updateTable('users').set({ wards: JSON.stringify(['W2']) }).where('id', '=', user.id).execute();
    const moved = await desks.connect('nurse1');
    expect(await myAlerts(moved)).toEqual({ ok: true, alerts: [] });
    expect(await alertCounts(moved)).toMatchObject({ ok: true, mine: 0 });
  });
});
