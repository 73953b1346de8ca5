// The ladder on a real hub: climbs while nobody acknowledges, stops when someone does, re-triggers after an
// acknowledged timeout, re-opens on a new patient message with the current details, and never stalls silently.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { Hub } from '../hub';
import { addStaff, commandId, connectDesk, DeskSet, inbound, LINES, startHub, stopHub, type TestDesk } from '../testing/hub-harness';
import { advance, alertCounts, JUNE_10_2026_10AM, MINUTE, OUTREACH_POLICY, requestShift, send, setShift, shiftStatus, storedAlerts, testSite } from './escalation-testing';

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

  it('keeps calling the last step after the last round, until someone acknowledges, when the ladder says so', async () => {
    const own = new ManualClock(JUNE_10_2026_10AM);
    const untilTaken = await startHub({ clock: own, site: testSite({ ladder: { ...OUTREACH_POLICY.ladder!, lastStepUntilAcknowledged: true } }) });
    try {
      await addStaff(untilTaken, 'boss', 'admin');
      const { caseId } = await untilTaken.receive(inbound('+447700900456', LINES.martha, 'Mum is confused and breathing fast'));
      await untilTaken.escalation.scheduler.advanceTo();
      const steps = async () => (await storedAlerts(untilTaken, caseId)).filter((event) => event.type === 'alert.escalated' || event.type === 'alert.nobody_reachable').map((event) => [event.alert!.cycle, event.alert!.level, (event.at - JUNE_10_2026_10AM) / MINUTE]);
      for (let minute = 0; minute < 42; minute += 1) await advance(untilTaken, own, MINUTE);
      // Two rounds (0, 5, 10; 15, 20, 25), then the last step — the administrator by name — every 5 minutes.
      expect(await steps()).toEqual([
        [0, 0, 0],
        [0, 1, 5],
        [0, 2, 10],
        [1, 0, 15],
        [1, 1, 20],
        [1, 2, 25],
        [2, 2, 30],
        [3, 2, 35],
        [4, 2, 40],
      ]);
      const boss = await connectDesk(untilTaken, 'boss');
      try {
        expect((await send(boss, 'acknowledge', { commandId: commandId(), caseId, version: 1 })).ok).toBe(true);
      } finally {
        boss.close();
      }
      for (let minute = 42; minute < 60; minute += 1) await advance(untilTaken, own, MINUTE);
      expect(await steps()).toHaveLength(9);
    } finally {
      await stopHub(untilTaken);
    }
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

  it('opens a new case, with its own deadline and alert, for a message after the case was resolved', async () => {
    await setShift(sam, true);
    const first = await openCall('Mum is very confused');
    expect((await send(kim, 'acknowledge', { commandId: commandId(), caseId: first, version: 1 })).ok).toBe(true);
    expect((await send(kim, 'resolve', { commandId: commandId(), caseId: first, version: 2, outcome: 'review_done' })).ok).toBe(true);
    clock.advance(10 * MINUTE);

    const { caseId: second } = await hub.receive(inbound('+447700900456', LINES.martha, 'She is worse again tonight'));
    await hub.escalation.scheduler.advanceTo();
    expect(second).not.toBe(first);
    const cases = await hub.store.db.selectFrom('cases').select(['id', 'status', 'ack_due_at', 'last_message_preview']).where('id', 'in', [first, second]).execute();
    expect(cases.find((row) => row.id === first)).toMatchObject({ status: 'resolved', last_message_preview: 'Mum is very confused' });
    expect(cases.find((row) => row.id === second)).toMatchObject({ status: 'open', ack_due_at: JUNE_10_2026_10AM + 15 * MINUTE, last_message_preview: 'She is worse again tonight' });
    // Its own ladder from the first step, to the nurse on shift; the resolved case's stays stopped.
    expect((await storedAlerts(hub, second)).map((event) => `${event.type}:${event.alert!.level}:${event.alert!.targets.join(',')}`)).toEqual([`alert.escalated:0:${sam.userId}`]);
    expect(await hub.store.db.selectFrom('timers').select('id').where('case_id', '=', first).where('state', '=', 'pending').execute()).toEqual([]);
    expect(await alertCounts(sam)).toMatchObject({ queues: { outreach: 1 }, mine: 1 });
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
    // Looked up together, each judged on its own: Kim may be paged, the ward nurse and an unknown id may not.
    expect(await send(sam, 'page', { commandId: commandId(), caseId, version: 1, userIds: [kim.userId, nurse.id, 'no-such-user'] })).toMatchObject({
      ok: false,
      error: { code: 'invalid', message: expect.stringMatching(/^2 of those colleagues/) },
    });

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
    // Without a chosen end, a shift is the site's default long day or night: 12.5 hours on the hub's clock.
    const defaultEnd = JUNE_10_2026_10AM + 750 * MINUTE;
    expect(first).toMatchObject({ ok: true, endsAt: defaultEnd });
    expect(audit).toEqual([
      { action: 'shift.started', actor_id: sam.userId, detail: JSON.stringify({ userId: sam.userId, endsAt: defaultEnd }) },
      { action: 'shift.started', actor_id: boss.userId, detail: JSON.stringify({ userId: kim.userId, endsAt: defaultEnd }) },
    ]);
  });

  it('stops counting a shift once its end has passed: the on-shift step finds nobody and goes upward as nobody-reachable', async () => {
    expect(await requestShift(sam, { onShift: true, endsAt: JUNE_10_2026_10AM + 30 * MINUTE })).toMatchObject({ ok: true, endsAt: JUNE_10_2026_10AM + 30 * MINUTE });
    const before = await openCall('before the end of the shift');
    expect((await storedAlerts(hub, before))[0]).toMatchObject({ type: 'alert.escalated', alert: { level: 0, targets: [sam.userId] } });
    expect(await shiftStatus(sam)).toMatchObject({ ok: true, onShift: true, endsAt: JUNE_10_2026_10AM + 30 * MINUTE });

    // Sam forgot to go off shift and went home with the desk still signed in: at 30 minutes the shift is over anyway.
    clock.advance(30 * MINUTE);
    expect(await shiftStatus(sam)).toMatchObject({ ok: true, onShift: false, endsAt: null });
    const { caseId } = await hub.receive(inbound('+447700900321', LINES.martha, 'after the end of the shift'));
    await hub.escalation.scheduler.advanceTo();
    const first = (await storedAlerts(hub, caseId))[0];
    expect(first).toMatchObject({ type: 'alert.nobody_reachable', alert: { level: 0, unreachableLevel: 0 } });
    // Upward as today: the next step's (connected) outreach team, and the admin.
    expect([...first!.alert!.targets].sort()).toEqual([sam.userId, kim.userId, boss.userId].sort());
  });

  it('extends a running shift, audited with both ends; an admin setting a colleague follows the same rules', async () => {
    const end = JUNE_10_2026_10AM + 12 * 60 * MINUTE;
    expect(await requestShift(sam, { onShift: true, endsAt: end })).toMatchObject({ ok: true });
    clock.advance(11.5 * 60 * MINUTE);
    expect(await requestShift(sam, { onShift: true, endsAt: end + 60 * MINUTE })).toMatchObject({ ok: true, onShift: true, endsAt: end + 60 * MINUTE });
    expect(await requestShift(boss, { userId: kim.userId, onShift: true, endsAt: clock.now() + 15 * 60 * MINUTE })).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringMatching(/at most 14 hours from now/) } });
    expect(await requestShift(boss, { userId: kim.userId, onShift: true, endsAt: clock.now() + 60 * MINUTE })).toMatchObject({ ok: true, userId: kim.userId });
    const audit = await hub.store.db.selectFrom('audit').select(['action', 'actor_id', 'detail', 'at']).where('action', 'like', 'shift.%').orderBy('id').execute();
    expect(audit.map((row) => [row.action, row.actor_id, JSON.parse(row.detail) as unknown])).toEqual([
      ['shift.started', sam.userId, { userId: sam.userId, endsAt: end }],
      ['shift.extended', sam.userId, { userId: sam.userId, endsAt: end + 60 * MINUTE, previousEndsAt: end }],
      ['shift.started', boss.userId, { userId: kim.userId, endsAt: clock.now() + 60 * MINUTE }],
    ]);
  });

  it('refuses an end in the past, beyond the maximum or malformed, and changes nothing', async () => {
    const end = JUNE_10_2026_10AM + 8 * 60 * MINUTE;
    expect(await requestShift(sam, { onShift: true, endsAt: end })).toMatchObject({ ok: true });
    const stored = () => hub.store.db.selectFrom('shifts').select(['on_shift', 'ends_at', 'changed_at']).where('user_id', '=', sam.userId).executeTakeFirst();
    const auditCount = async () => (await hub.store.db.selectFrom('audit').select('id').where('action', 'like', 'shift.%').execute()).length;
    const before = { row: await stored(), audit: await auditCount() };
    clock.advance(MINUTE);
    const refusals = [
      [{ onShift: true, endsAt: JUNE_10_2026_10AM }, /already passed/],
      [{ onShift: true, endsAt: clock.now() + 14 * 60 * MINUTE + 1 }, /at most 14 hours from now/],
      [{ onShift: true, endsAt: 'eight tonight' }, /shift:set needs/],
      [{ onShift: true, endsAt: 1.5 }, /shift:set needs/],
      [{ onShift: false, endsAt: end }, /goes with going on shift/],
    ] as const;
    for (const [payload, message] of refusals) {
      expect(await requestShift(sam, payload)).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringMatching(message) } });
    }
    expect(await stored()).toEqual(before.row);
    expect(await auditCount()).toBe(before.audit);
  });

  it('refuses a silence longer than the queue allows, and changes nothing', async () => {
    // A hub whose outreach policy allows ten minutes (the default for a policy that names no limit is 60).
    await stopHub(hub, desks);
    hub = await startHub({ clock, site: testSite({ maxSilenceMinutes: 10 }) });
    await addStaff(hub, 'sam', 'outreach');
    await addStaff(hub, 'boss', 'admin');
    [sam, boss] = await Promise.all([desks.connect('sam'), desks.connect('boss')]);
    await setShift(sam, true);
    const caseId = await openCall();
    const refused = await send(sam, 'silence', { commandId: commandId(), caseId, version: 1, minutes: 11 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid', message: "Martha's Rule alerts can be silenced for at most 10 min at a time. Nothing was changed: choose 10 min or less, or acknowledge the case." } });
    const alert = await hub.store.db.selectFrom('case_alerts').select(['state', 'silenced_until']).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    expect(alert).toEqual({ state: 'triggered', silenced_until: null });
    expect((await hub.store.db.selectFrom('timers').select('kind').where('case_id', '=', caseId).where('kind', '=', 'silence_end').execute())).toEqual([]);
    expect((await storedAlerts(hub, caseId)).map((event) => event.type)).toEqual(['alert.escalated']);
    // The ladder was not paused: its next step comes on time.
    const steps = async () => (await storedAlerts(hub, caseId)).filter((event) => event.type === 'alert.escalated');
    await advance(hub, clock, 5 * MINUTE);
    expect((await steps()).at(-1)).toMatchObject({ alert: { kind: 'escalated', level: 1 } });

    // Up to the limit is taken, and when it runs out the ladder resumes with silence_ended.
    expect(await send(sam, 'silence', { commandId: commandId(), caseId, version: 1, minutes: 10 })).toMatchObject({ ok: true });
    await advance(hub, clock, 10 * MINUTE);
    expect((await steps()).at(-1)).toMatchObject({ alert: { kind: 'silence_ended', level: 2 } });
  });
});
