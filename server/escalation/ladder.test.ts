// The ladder on a real hub: climbs while nobody acknowledges, stops when someone does, re-triggers after an
// acknowledged timeout, re-opens on a new patient message with the current details, and never stalls silently.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { Hub } from '../hub';
import { addStaff, commandId, DeskSet, inbound, LINES, startHub, stopHub, type TestDesk } from '../testing/hub-harness';
import { advance, alertCounts, JUNE_10_2026_10AM, MINUTE, send, setShift, storedAlerts, testSite } from './escalation-testing';

describe('escalation ladder', () => {
  let hub: Hub;
  let clock: ManualClock;
  let sam: TestDesk;
  let kim: TestDesk;
  let boss: TestDesk;
  const desks = new DeskSet(() => hub);

  beforeEach(async () => {
    clock = new ManualClock(JUNE_10_2026_10AM);
    hub = await startHub({ clock, site: testSite() });
    await addStaff(hub, 'sam', 'outreach');
    await addStaff(hub, 'kim', 'outreach');
    await addStaff(hub, 'boss', 'admin');
    [sam, kim, boss] = await Promise.all([desks.connect('sam'), desks.connect('kim'), desks.connect('boss')]);
  });

  afterEach(() => stopHub(hub, desks));

  async function openCall(text = 'Mum is confused and breathing fast'): Promise<string> {
    const { caseId } = await hub.receive(inbound('+447700900456', LINES.martha, text));
    await hub.escalation.scheduler.advanceTo();
    return caseId;
  }

  it('stores the deadlines on the case when it opens, from the queue policy', async () => {
    const caseId = await openCall();
    const row = await hub.store.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(row.ack_due_at).toBe(JUNE_10_2026_10AM + 5 * MINUTE);
    expect(row.respond_due_at).toBeNull();
    // Step 0 fired at once; the next step is 5 minutes on.
    const steps = await hub.store.db.selectFrom('timers').select(['step', 'due_at']).where('case_id', '=', caseId).where('kind', '=', 'step').where('state', '=', 'pending').execute();
    expect(steps).toEqual([{ step: 1, due_at: JUNE_10_2026_10AM + 5 * MINUTE }]);
  });

  it('climbs when nobody acknowledges, warns and breaches on time, and stops the moment someone acknowledges', async () => {
    expect(await setShift(sam, true)).toMatchObject({ ok: true, userId: sam.userId, onShift: true });
    const caseId = await openCall();
    const summary = async () => (await storedAlerts(hub, caseId)).map((event) => `${event.type}:${event.alert!.level}:${[...event.alert!.targets].sort().join(',')}`);

    // Step 0: the on-shift outreach nurse, by name.
    expect(await summary()).toEqual([`alert.escalated:0:${sam.userId}`]);
    await sam.waitFor((event) => event.type === 'alert.escalated' && event.alert?.targets.includes(sam.userId) === true);
    expect(await alertCounts(sam)).toEqual({ ok: true, queues: { outreach: 1 }, mine: 1 });
    expect(await alertCounts(kim)).toMatchObject({ ok: true, queues: { outreach: 1 }, mine: 0 });

    await advance(hub, clock, 2.5 * MINUTE);
    await advance(hub, clock, 1.5 * MINUTE);
    const warnings = (await storedAlerts(hub, caseId)).filter((event) => event.type === 'alert.warning');
    expect(warnings.map((event) => [event.at - JUNE_10_2026_10AM, event.alert!.fraction, event.alert!.deadline])).toEqual([
      [2.5 * MINUTE, 0.5, 'acknowledge'],
      [4 * MINUTE, 0.8, 'acknowledge'],
    ]);

    // Five minutes: the breach, and step 1 (the whole outreach team).
    await advance(hub, clock, 1 * MINUTE);
    const sorted = [sam.userId, kim.userId].sort().join(',');
    expect((await summary()).slice(-2).map((line) => line.replace(/^alert.breach:\d+/, 'alert.breach')).sort()).toEqual(['alert.breach:', `alert.escalated:1:${sorted}`].sort());
    await kim.waitFor((event) => event.type === 'alert.escalated' && event.alert?.level === 1);
    expect(await alertCounts(kim)).toMatchObject({ mine: 1 });

    // Ten minutes: step 2, the named admin.
    await advance(hub, clock, 5 * MINUTE);
    expect((await summary()).at(-1)).toBe(`alert.escalated:2:${boss.userId}`);

    // Kim acknowledges: nothing more fires, however long we wait (short of the acknowledged timeout).
    const acknowledged = await send(kim, 'acknowledge', { commandId: commandId(), caseId, version: 1 });
    expect(acknowledged).toMatchObject({ ok: true, case: { status: 'acknowledged', acknowledgedBy: kim.userId } });
    const before = (await storedAlerts(hub, caseId)).length;
    await advance(hub, clock, 29 * MINUTE);
    expect(await storedAlerts(hub, caseId)).toHaveLength(before);
    const pending = await hub.store.db.selectFrom('timers').select(['kind']).where('case_id', '=', caseId).where('state', '=', 'pending').execute();
    expect(pending).toEqual([{ kind: 'ack_timeout' }]);
    expect(await alertCounts(sam)).toEqual({ ok: true, queues: { outreach: 0 }, mine: 0 });
  });

  it('runs the ladder round again up to its repeat cap, and no further', async () => {
    await setShift(sam, true);
    const caseId = await openCall();
    for (let minute = 0; minute < 60; minute += 1) await advance(hub, clock, MINUTE);
    const steps = (await storedAlerts(hub, caseId)).filter((event) => event.type === 'alert.escalated').map((event) => [event.alert!.cycle, event.alert!.level, (event.at - JUNE_10_2026_10AM) / MINUTE]);
    // 0, 5, 10; then (repeat 1) 10 + 5 after the last step: 15, 20, 25. Then nothing.
    expect(steps).toEqual([
      [0, 0, 0],
      [0, 1, 5],
      [0, 2, 10],
      [1, 0, 15],
      [1, 1, 20],
      [1, 2, 25],
    ]);
  });

  it('re-triggers an acknowledged case nobody resolved within the timeout', async () => {
    await setShift(sam, true);
    const caseId = await openCall();
    const acknowledged = await send(sam, 'acknowledge', { commandId: commandId(), caseId, version: 1 });
    expect(acknowledged.ok).toBe(true);
    await advance(hub, clock, 29 * MINUTE);
    expect((await storedAlerts(hub, caseId)).map((event) => event.type)).toEqual(['alert.escalated']);
    await advance(hub, clock, 1 * MINUTE);
    const reopened = await kim.waitFor((event) => event.case.id === caseId && event.type === 'case.reopened');
    expect(reopened).toMatchObject({ case: { status: 'open', acknowledgedBy: null, version: 3 }, alert: { kind: 'acknowledged_timeout', targets: [sam.userId] } });
    // And the ladder starts again from its first step, on the re-opened case.
    const types = (await storedAlerts(hub, caseId)).map((event) => `${event.type}:${event.alert!.level}`);
    expect(types).toEqual(['alert.escalated:0', 'case.reopened:0', 'alert.escalated:0']);
    await advance(hub, clock, 5 * MINUTE);
    expect((await storedAlerts(hub, caseId)).at(-1)).toMatchObject({ type: 'alert.escalated', alert: { level: 1 } });
  });

  it('re-opens an acknowledged case on a new patient message, and re-alerts with the current details', async () => {
    await setShift(sam, true);
    const caseId = await openCall('Dad seems a bit drowsy');
    expect((await send(kim, 'acknowledge', { commandId: commandId(), caseId, version: 1 })).ok).toBe(true);
    clock.advance(3 * MINUTE);
    await hub.receive(inbound('+447700900456', LINES.martha, 'Now he will not wake up'));
    const reopened = await sam.waitFor((event) => event.case.id === caseId && event.type === 'case.reopened');
    expect(reopened).toMatchObject({
      case: { status: 'open', lastMessagePreview: 'Now he will not wake up' },
      alert: { kind: 'reopened_by_message', targets: [kim.userId] },
    });
    await hub.escalation.scheduler.advanceTo();
    // The ladder's first step goes out again, carrying the new message, not the old one.
    const step = await sam.waitFor((event) => event.case.id === caseId && event.type === 'alert.escalated' && event.seq > reopened.seq);
    expect(step.case.lastMessagePreview).toBe('Now he will not wake up');
    expect(step.alert).toMatchObject({ kind: 'escalated', level: 0, targets: [sam.userId] });
    expect(await alertCounts(kim)).toMatchObject({ queues: { outreach: 1 }, mine: 1 });
  });

  it('ends a silence early on a new patient message; otherwise resumes the ladder when the silence is over', async () => {
    await setShift(sam, true);
    const caseId = await openCall();
    const silenced = await send(sam, 'silence', { commandId: commandId(), caseId, version: 1, minutes: 20 });
    expect(silenced).toMatchObject({ ok: true });
    await advance(hub, clock, 19 * MINUTE);
    // Deadlines still count while silenced (the breach is a fact); the ladder does not climb.
    expect((await storedAlerts(hub, caseId)).map((event) => event.type)).toEqual(['alert.escalated', 'case.silenced', 'alert.warning', 'alert.warning', 'alert.breach']);
    await advance(hub, clock, 1 * MINUTE);
    expect((await storedAlerts(hub, caseId)).at(-1)).toMatchObject({ type: 'alert.escalated', alert: { kind: 'silence_ended', level: 1 } });

    const second = await hub.receive(inbound('+447700900777', LINES.martha, 'first words'));
    await hub.escalation.scheduler.advanceTo();
    expect((await send(sam, 'silence', { commandId: commandId(), caseId: second.caseId, version: 1, minutes: 60 })).ok).toBe(true);
    await hub.receive(inbound('+447700900777', LINES.martha, 'it is getting worse'));
    await hub.escalation.scheduler.advanceTo();
    const after = (await storedAlerts(hub, second.caseId)).map((event) => `${event.type}:${event.alert!.kind}`);
    expect(after).toEqual(['alert.escalated:escalated', 'case.silenced:silenced', 'case.reopened:reopened_by_message', 'alert.escalated:escalated']);
  });

  it('raises nobody-reachable to the next level and to admins when a step has nobody to tell', async () => {
    // Nobody is on shift: step 0 ("the on-shift outreach nurse") has nobody.
    const caseId = await openCall();
    const event = await boss.waitFor((candidate) => candidate.case.id === caseId && candidate.type === 'alert.nobody_reachable');
    expect(event.alert).toMatchObject({ kind: 'nobody_reachable', level: 0, unreachableLevel: 0 });
    // The next level (the connected outreach team) and the admin.
    expect([...event.alert!.targets].sort()).toEqual([sam.userId, kim.userId, boss.userId].sort());
    expect(await alertCounts(kim)).toMatchObject({ mine: 1 });

    // A connected but off-shift nurse does not count as on shift; an on-shift one who is not connected does not either.
    await setShift(sam, true);
    sam.close();
    await new Promise((resolve) => setTimeout(resolve, 50)); // the disconnect reaching the hub is real socket traffic
    const other = await hub.receive(inbound('+447700900999', LINES.martha, 'worried'));
    await hub.escalation.scheduler.advanceTo();
    expect((await storedAlerts(hub, other.caseId))[0]).toMatchObject({ type: 'alert.nobody_reachable', alert: { level: 0 } });
  });

  it('pages extra responders and gives an acknowledged case back with un-acknowledge, both audited', async () => {
    await setShift(sam, true);
    const caseId = await openCall();
    const paged = await send(sam, 'page', { commandId: commandId(), caseId, version: 1, userIds: [kim.userId] });
    expect(paged.ok).toBe(true);
    const page = await kim.waitFor((event) => event.type === 'alert.escalated' && event.alert?.kind === 'paged');
    expect(page.alert?.targets).toEqual([kim.userId]);
    const nurse = await addStaff(hub, 'nurse1', 'ward_nurse', ['W1']);
    expect(await send(sam, 'page', { commandId: commandId(), caseId, version: 1, userIds: [nurse.id] })).toMatchObject({ ok: false, error: { code: 'invalid' } });

    expect(await send(sam, 'unacknowledge', { commandId: commandId(), caseId, version: 1 })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect((await send(kim, 'acknowledge', { commandId: commandId(), caseId, version: 1 })).ok).toBe(true);
    const giveBack = { commandId: commandId(), caseId, version: 2 };
    const back = await send(kim, 'unacknowledge', giveBack);
    expect(back).toMatchObject({ ok: true, case: { status: 'open', acknowledgedBy: null, version: 3 } });
    // Idempotent: the same command id answers the same and changes nothing.
    expect(await send(kim, 'unacknowledge', giveBack)).toEqual(back);
    const audit = await hub.store.db.selectFrom('audit').select(['action', 'actor_id']).where('case_id', '=', caseId).execute();
    expect(audit.filter((row) => row.action === 'case.unacknowledged')).toEqual([{ action: 'case.unacknowledged', actor_id: kim.userId }]);
    expect(audit.filter((row) => row.action === 'alert.escalated' && row.actor_id === sam.userId)).toHaveLength(1);
    // The ladder is climbing again.
    await hub.escalation.scheduler.advanceTo();
    expect((await storedAlerts(hub, caseId)).at(-1)).toMatchObject({ type: 'alert.escalated', alert: { level: 0, kind: 'escalated' } });
  });

  it('lets staff set their own shift and only admins set others, audited and idempotent', async () => {
    const id = commandId();
    const first = await setShift(sam, true, undefined, id);
    expect(await setShift(sam, true, undefined, id)).toEqual(first);
    expect(await setShift(sam, true, kim.userId)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await setShift(boss, true, kim.userId)).toMatchObject({ ok: true, userId: kim.userId, onShift: true });
    expect(await setShift(sam, 'yes' as unknown as boolean)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    const audit = await hub.store.db.selectFrom('audit').select(['action', 'actor_id', 'detail']).where('action', 'like', 'shift.%').execute();
    expect(audit).toEqual([
      { action: 'shift.started', actor_id: sam.userId, detail: JSON.stringify({ userId: sam.userId }) },
      { action: 'shift.started', actor_id: boss.userId, detail: JSON.stringify({ userId: kim.userId }) },
    ]);
  });
});
