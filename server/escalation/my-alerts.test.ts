// `alerts:mine` on a real hub with real sockets: the tray a desk restores after sign-in lists the unacknowledged
// alerts addressed to its user, in the queues that user sees now, and nothing that was acknowledged meanwhile; and the
// user's own replies still marked not delivered, until the mark is cleared.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MyAlertsResult } from '../../shared/protocol';
import { ManualClock } from '../clock';
import type { Hub } from '../hub';
import { fakeCarrierConfig, startFakeCarrierApis, type FakeCarrierApis } from '../outbox/fake-carrier-apis';
import { addStaff, commandId, DeskSet, inbound, LINES, startHub, stopHub, tempDataDir, type TestDesk } from '../testing/hub-harness';
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
      alerts: [{ seq: toNurse1.seq, caseId: ward1Case, ref: toNurse1.case.ref, queueId: 'ward-W1', kind: 'escalated', level: 0, at: JUNE_10_2026_10AM + 2 * MINUTE }],
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

describe('alerts:mine and replies not delivered', () => {
  const TWILIO_SEND = /\/Messages\.json$/;
  // Twilio's answer for a number it cannot send to: a permanent failure, so the outbox fails the reply at once.
  const INVALID_NUMBER = { status: 400, json: { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 } };
  let apis: FakeCarrierApis;
  let hub: Hub;
  let clock: ManualClock;
  const desks = new DeskSet(() => hub);

  beforeAll(async () => {
    apis = await startFakeCarrierApis();
  });
  afterAll(() => apis.close());

  beforeEach(async () => {
    apis.reset();
    apis.override((call) => (TWILIO_SEND.test(call.path) ? INVALID_NUMBER : undefined));
    clock = new ManualClock(JUNE_10_2026_10AM);
    const dataDir = tempDataDir();
    hub = await startHub({ dataDir, clock, site: testSite(), carriers: fakeCarrierConfig(apis, dataDir, ['twilio']), outbox: { autoStart: false } });
    await addStaff(hub, 'nurse1', 'ward_nurse', ['W1']);
    await addStaff(hub, 'nurse3', 'ward_nurse', ['W1']);
    await addStaff(hub, 'nurse2', 'ward_nurse', ['W2']);
  });

  afterEach(() => stopHub(hub, desks));

  it('lists a reply of this user that was not delivered while they were signed out, on a resolved case too, until a colleague deals with it', async () => {
    const nurse1 = await desks.connect('nurse1');
    const colleague = await desks.connect('nurse3');
    const otherWard = await desks.connect('nurse2');
    await setShift(nurse1, true);

    // A case escalated to nurse 1, still unacknowledged: listed alongside the reply below, newest first.
    const { caseId: escalatedCase } = await hub.receive(inbound('+447700900711', LINES.ward, 'Is my mum eating?'));
    const waiting = await nurse1.waitFor((event) => event.case.id === escalatedCase);
    expect(await send(nurse1, 'triage', { commandId: commandId(), caseId: escalatedCase, version: waiting.case.version, queueId: 'ward-W1' })).toMatchObject({ ok: true });
    await advance(hub, clock, 2 * MINUTE);
    const escalated = await nurse1.waitFor((event) => event.type === 'alert.escalated' && event.case.id === escalatedCase);

    // Nurse 1 answers another family and resolves the case, then signs out before the carrier refuses the reply.
    const { caseId } = await hub.receive(inbound('+447700900712', LINES.ward, 'Can I bring his glasses tonight?'));
    let view = (await nurse1.waitFor((event) => event.case.id === caseId)).case;
    const triaged = await send(nurse1, 'triage', { commandId: commandId(), caseId, version: view.version, queueId: 'ward-W1' });
    if (!triaged.ok) throw new Error(triaged.error.message);
    const replied = await send(nurse1, 'reply', { commandId: commandId(), caseId, version: triaged.case.version, body: 'Yes, leave them at the desk.' });
    if (!replied.ok) throw new Error(replied.error.message);
    expect(await send(nurse1, 'acknowledge', { commandId: commandId(), caseId, version: replied.case.version })).toMatchObject({ ok: true });
    view = (await colleague.waitFor((event) => event.type === 'case.acknowledged' && event.case.id === caseId)).case;
    expect(await send(nurse1, 'resolve', { commandId: commandId(), caseId, version: view.version, outcome: 'answered' })).toMatchObject({ ok: true });
    nurse1.close();
    clock.advance(MINUTE);
    expect([...(await hub.outbox.runDue()).values()]).toEqual(['failed']);
    const marked = await colleague.waitFor((event) => event.type === 'reply.undelivered' && event.case.id === caseId);
    expect(marked.case).toMatchObject({ status: 'resolved', replyUndelivered: { messageId: replied.messageId } });

    // Signed in again: the failed reply is listed for its author, with the reply it is about, and the escalation.
    const back = await desks.connect('nurse1');
    expect(await myAlerts(back)).toEqual({
      ok: true,
      alerts: [
        { seq: marked.seq, caseId, ref: marked.case.ref, queueId: 'ward-W1', kind: 'reply_undelivered', level: 0, at: JUNE_10_2026_10AM + 3 * MINUTE, messageId: replied.messageId },
        { seq: escalated.seq, caseId: escalatedCase, ref: escalated.case.ref, queueId: 'ward-W1', kind: 'escalated', level: 0, at: JUNE_10_2026_10AM + 2 * MINUTE },
      ],
    });
    // Not the colleague's reply, and not a ward the other nurse sees: neither is listed for them.
    expect(await myAlerts(colleague)).toEqual({ ok: true, alerts: [] });
    expect(await myAlerts(otherWard)).toEqual({ ok: true, alerts: [] });

    // A colleague phones the family and marks it dealt with: the mark is cleared, and so is the author's alert.
    expect(await send(colleague, 'dismiss_undelivered', { commandId: commandId(), caseId, version: marked.case.version, messageId: replied.messageId, note: 'Phoned the family' })).toMatchObject({ ok: true });
    expect(await myAlerts(back)).toEqual({ ok: true, alerts: [expect.objectContaining({ caseId: escalatedCase, kind: 'escalated' })] });
  });
});
