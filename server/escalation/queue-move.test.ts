// A case triaged into another queue runs on the new queue's policy from the moment of the move: its deadlines,
// warnings, breaches and ladder are the new queue's, nothing of the old queue fires afterwards, and milestones already
// met (acknowledged, answered) stay met. Real hub, real store, real sockets, ManualClock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskEvent } from '../../shared/protocol';
import { ManualClock } from '../clock';
import type { Hub } from '../hub';
import { addStaff, commandId, DeskSet, inbound, LINES, startHub, stopHub, type TestDesk } from '../testing/hub-harness';
import { advance, JUNE_10_2026_10AM, MINUTE, send, setShift, storedAlerts, testSite } from './escalation-testing';

const T0 = JUNE_10_2026_10AM;
/** Minutes after T0, for readable expectations. */
const at = (minutes: number) => T0 + minutes * MINUTE;

describe('moving a case to another queue', () => {
  let hub: Hub;
  let clock: ManualClock;
  let sam: TestDesk;
  let boss: TestDesk;
  let pat: TestDesk;
  const desks = new DeskSet(() => hub);

  beforeEach(async () => {
    clock = new ManualClock(T0);
    // Outreach as in the other escalation tests (ack 5 min, ladder 0 / +5 / +5, once round again), plus a first response.
    hub = await startHub({ clock, site: testSite({ firstResponseBy: { minutes: 15 } }) });
    await addStaff(hub, 'sam', 'outreach');
    await addStaff(hub, 'boss', 'admin');
    await addStaff(hub, 'pat', 'pals_officer');
    [sam, boss, pat] = await Promise.all([desks.connect('sam'), desks.connect('boss'), desks.connect('pat')]);
  });

  afterEach(() => stopHub(hub, desks));

  /** A message on the ward line from a number no ward knows lands in the general `triage` queue (15 min to acknowledge). */
  async function openInTriage(): Promise<string> {
    const { caseId } = await hub.receive(inbound('+447700900601', LINES.ward, 'My dad is on a ward but I do not know which'));
    await hub.escalation.scheduler.advanceTo();
    return caseId;
  }

  async function caseRow(caseId: string) {
    return hub.store.db.selectFrom('cases').select(['queue_id', 'version', 'ack_due_at', 'respond_due_at', 'resolve_due_at']).where('id', '=', caseId).executeTakeFirstOrThrow();
  }

  async function pendingTimers(caseId: string) {
    return hub.store.db.selectFrom('timers').select(['id', 'kind', 'due_at']).where('case_id', '=', caseId).where('state', '=', 'pending').orderBy('due_at').orderBy('kind').execute();
  }

  async function triageAudit(caseId: string): Promise<Record<string, unknown>> {
    const row = await hub.store.db.selectFrom('audit').select('detail').where('case_id', '=', caseId).where('action', '=', 'case.triaged').executeTakeFirstOrThrow();
    return JSON.parse(row.detail) as Record<string, unknown>;
  }

  /** Alert events as `type deadline @minutes` or `type kind level/cycle @minutes`, in time order (same minute: by text). */
  function summarise(events: DeskEvent[]): string[] {
    const describe = ({ type, alert }: DeskEvent) => (alert!.deadline === undefined ? `${type} ${alert!.kind} ${alert!.level}/${alert!.cycle}` : `${type} ${alert!.deadline}`);
    return events
      .map((event) => ({ event, line: `${describe(event)} @${(event.at - T0) / MINUTE}` }))
      .sort((a, b) => a.event.at - b.event.at || a.line.localeCompare(b.line))
      .map(({ line }) => line);
  }

  it('starts outreach\'s clock at the move: 5-minute acknowledge deadline, its warnings and ladder; nothing of triage fires after', async () => {
    await setShift(sam, true);
    const caseId = await openInTriage();
    expect(await caseRow(caseId)).toMatchObject({ queue_id: 'triage', ack_due_at: at(15), respond_due_at: at(60) });
    await advance(hub, clock, 3 * MINUTE); // triage's first step (+2 min) fires before the move
    const beforeMove = (await storedAlerts(hub, caseId)).length;
    expect(beforeMove).toBe(1);

    const result = await send(boss, 'triage', { commandId: commandId(), caseId, version: 1, queueId: 'outreach' });
    expect(result).toMatchObject({ ok: true, case: { queueId: 'outreach', ackDueAt: at(8), respondDueAt: at(18), resolveDueAt: null } });
    await hub.escalation.scheduler.advanceTo(); // outreach's step 0 is due at once
    // The desks hear the new deadlines with the move itself: the admin who moved it, and the outreach nurse who now sees it.
    for (const desk of [boss, sam]) {
      const triaged = await desk.waitFor((event) => event.case.id === caseId && event.type === 'case.triaged');
      expect(triaged.case).toMatchObject({ queueId: 'outreach', ackDueAt: at(8), respondDueAt: at(18) });
    }
    expect(await caseRow(caseId)).toMatchObject({ queue_id: 'outreach', ack_due_at: at(8), respond_due_at: at(18), resolve_due_at: null });
    // A new alert for the new queue, with outreach's ladder snapshotted.
    const alert = await hub.store.db.selectFrom('case_alerts').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
    expect(alert).toMatchObject({ queue_id: 'outreach', state: 'triggered', episode: 2, level: 1, started_at: at(3) });
    expect(JSON.parse(alert.ladder)).toMatchObject({ steps: [{ afterMinutes: 0 }, { afterMinutes: 5 }, { afterMinutes: 5 }], repeat: 1 });
    // Its first step fired with the move; the next is five minutes on.
    const steps = await hub.store.db.selectFrom('timers').select(['step', 'due_at']).where('case_id', '=', caseId).where('kind', '=', 'step').where('state', '=', 'pending').execute();
    expect(steps).toEqual([{ step: 1, due_at: at(8) }]);
    expect(await triageAudit(caseId)).toMatchObject({
      queue: { from: 'triage', to: 'outreach' },
      escalation: { measuredFrom: at(3), ackDueAt: at(8), respondDueAt: at(18), resolveDueAt: null, kept: [], alert: 'new alert on the new queue' },
    });

    // An hour on, in half-minutes: well past every triage warning (7.5, 12), breach (15) and ladder step (2, 12, 22, ...).
    for (let step = 0; step < 120; step += 1) await advance(hub, clock, MINUTE / 2);
    const afterMove = (await storedAlerts(hub, caseId)).slice(beforeMove);
    expect(summarise(afterMove)).toEqual([
      'alert.escalated escalated 0/0 @3',
      'alert.warning acknowledge @5.5',
      'alert.warning acknowledge @7',
      'alert.breach acknowledge @8',
      'alert.escalated escalated 1/0 @8',
      'alert.warning first_response @10.5',
      'alert.escalated escalated 2/0 @13',
      'alert.warning first_response @15',
      'alert.breach first_response @18',
      'alert.escalated escalated 0/1 @18',
      'alert.escalated escalated 1/1 @23',
      'alert.escalated escalated 2/1 @28',
    ]);
    expect(afterMove.filter((event) => event.alert!.deadline !== undefined).map((event) => event.alert!.dueAt)).not.toContain(at(15));
    expect(afterMove.filter((event) => event.alert!.deadline !== undefined).map((event) => event.alert!.dueAt)).not.toContain(at(60));
    // Step 0 of outreach's ladder named the on-shift outreach nurse: this is outreach's ladder, not triage's.
    expect(afterMove[0]!.alert!.targets).toEqual([sam.userId]);
    // Of triage's timers, only its first step fired (before the move, counted above); the move cancelled the rest.
    const old = await hub.store.db.selectFrom('timers').select(['kind', 'step', 'state', 'fired_at']).where('case_id', '=', caseId).where('created_at', '<', at(3)).orderBy('kind').orderBy('step').execute();
    expect(old).toEqual([
      { kind: 'deadline:acknowledge', step: 0, state: 'cancelled', fired_at: at(3) },
      { kind: 'deadline:first_response', step: 0, state: 'cancelled', fired_at: at(3) },
      { kind: 'step', step: 0, state: 'fired', fired_at: at(3) },
    ]);
    const stepTwo = await hub.store.db.selectFrom('timers').select(['state']).where('case_id', '=', caseId).where('kind', '=', 'step').where('due_at', '=', at(12)).execute();
    expect(stepTwo).toEqual([{ state: 'cancelled' }]); // triage's second step, written when its first fired
  });

  it('gives an acknowledged case no new acknowledge deadline, only the new queue\'s acknowledged timeout', async () => {
    const caseId = await openInTriage();
    clock.advance(1 * MINUTE);
    expect(await send(boss, 'acknowledge', { commandId: commandId(), caseId, version: 1 })).toMatchObject({ ok: true, case: { status: 'acknowledged' } });
    clock.advance(2 * MINUTE);

    const result = await send(boss, 'triage', { commandId: commandId(), caseId, version: 2, queueId: 'outreach' });
    // The acknowledge deadline stays the one it was met against; the first response (not yet given) is outreach's.
    expect(result).toMatchObject({ ok: true, case: { status: 'acknowledged', ackDueAt: at(15), respondDueAt: at(18) } });
    expect((await pendingTimers(caseId)).map((timer) => [timer.kind, timer.due_at])).toEqual([
      ['deadline:first_response', at(10.5)],
      ['ack_timeout', at(33)], // outreach's 30 minutes from the move, not triage's 120 from the acknowledgement
    ]);
    expect(await triageAudit(caseId)).toMatchObject({ escalation: { ackDueAt: at(15), kept: ['acknowledge'], alert: 'acknowledged: kept' } });

    for (let minute = 0; minute < 29; minute += 1) await advance(hub, clock, MINUTE);
    const alerts = summarise(await storedAlerts(hub, caseId));
    expect(alerts.filter((line) => line.includes('acknowledge '))).toEqual([]);
    expect(alerts.some((line) => line.startsWith('alert.escalated'))).toBe(false);
  });

  it('gives a case staff already answered no new first-response deadline', async () => {
    const caseId = await openInTriage();
    clock.advance(1 * MINUTE);
    const replied = await send(boss, 'reply', { commandId: commandId(), caseId, version: 1, body: 'Thank you, we are finding the right ward.' });
    expect(replied.ok).toBe(true);
    clock.advance(2 * MINUTE);
    const version = replied.ok ? replied.case.version : 0;

    const result = await send(boss, 'triage', { commandId: commandId(), caseId, version, queueId: 'outreach' });
    expect(result).toMatchObject({ ok: true, case: { ackDueAt: at(8), respondDueAt: at(60) } });
    expect((await pendingTimers(caseId)).map((timer) => timer.kind).sort()).toEqual(['deadline:acknowledge', 'step']);
    expect(await triageAudit(caseId)).toMatchObject({ escalation: { kept: ['first_response'] } });
  });

  it('gives a Martha\'s Rule call moved to PALS PALS\'s working-day deadlines and ladder, and stops outreach\'s', async () => {
    await setShift(sam, true);
    const { caseId } = await hub.receive(inbound('+447700900602', LINES.martha, 'Actually I want to complain about parking'));
    await hub.escalation.scheduler.advanceTo();
    expect(await caseRow(caseId)).toMatchObject({ queue_id: 'outreach', ack_due_at: at(5) });
    clock.advance(3 * MINUTE);
    // Outreach's first warning (50% of 5 minutes) fell due before the move, and fires before it: late, as the clock
    // jumped, and at the same instant as the move, so what follows is told apart by event order, not by time.
    await hub.escalation.scheduler.advanceTo();
    expect(summarise(await storedAlerts(hub, caseId))).toContain('alert.warning acknowledge @3');

    const result = await send(sam, 'triage', { commandId: commandId(), caseId, version: 1, queueId: 'pals' });
    await hub.escalation.scheduler.advanceTo(); // PALS's one step is due at once
    // Wednesday 10:03 BST + 2 working days = Friday 12 June 10:03; + 10 working days = Wednesday 24 June 10:03.
    const expected = { queueId: 'pals', ackDueAt: Date.UTC(2026, 5, 12, 9, 3), respondDueAt: null, resolveDueAt: Date.UTC(2026, 5, 24, 9, 3) };
    expect(result).toMatchObject({ ok: true, case: expected });
    const moved = await pat.waitFor((event) => event.case.id === caseId && event.type === 'case.triaged');
    expect(moved.case).toMatchObject(expected);

    for (let minute = 0; minute < 30; minute += 1) await advance(hub, clock, MINUTE);
    const afterMove = (await storedAlerts(hub, caseId)).filter((event) => event.seq > moved.seq);
    // PALS's one step (the whole PALS team at once), and none of outreach's warnings, breach or further steps.
    expect(summarise(afterMove)).toEqual(['alert.escalated escalated 0/0 @3']);
    expect(afterMove[0]!.alert!.targets).toEqual([pat.userId]);
  });

  it('changes nothing when the case is "moved" to the queue it is already in', async () => {
    const caseId = await openInTriage();
    clock.advance(3 * MINUTE);
    const before = { row: await caseRow(caseId), timers: await pendingTimers(caseId) };
    const alertBefore = await hub.store.db.selectFrom('case_alerts').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();

    const result = await send(boss, 'triage', { commandId: commandId(), caseId, version: 1, queueId: 'triage', priority: 2 });
    expect(result).toMatchObject({ ok: true, case: { queueId: 'triage', priority: 2, ackDueAt: at(15), respondDueAt: at(60) } });
    expect(await caseRow(caseId)).toEqual({ ...before.row, version: before.row.version + 1 });
    expect(await pendingTimers(caseId)).toEqual(before.timers);
    expect(await hub.store.db.selectFrom('case_alerts').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow()).toEqual(alertBefore);
    expect(await triageAudit(caseId)).not.toHaveProperty('escalation');
  });
});
