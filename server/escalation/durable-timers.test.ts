// Invariant 4 on a real store: a hub closed mid-ladder and started again on the same data dir, with the clock later,
// resumes from the right step and fires no step twice; two hubs on one SQLite file, or on one PostgreSQL database over
// their own pools, fire each step once; the heap entry of a cancelled timer does nothing; a timer that fails to fire
// is kept and tried again; lateness reaches /metrics; and callers who ask while a batch commits share one more pass.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { Hub } from '../hub';
import { addStaff, commandId, connectDesk, inbound, LINES, removeDir, startHub, stopHub, tempDataDir } from '../testing/hub-harness';
import { freshDatabase, postgres } from '../testing/services';
import { JUNE_10_2026_10AM, MINUTE, requestShift, send, shiftStatus, storedAlerts, testSite } from './escalation-testing';

/** "cycle:level" of every ladder step the store recorded for the case, in order. */
async function stepsFired(hub: Hub, caseId: string): Promise<string[]> {
  return (await storedAlerts(hub, caseId))
    .filter((event) => event.type === 'alert.escalated' || event.type === 'alert.nobody_reachable')
    .map((event) => `${event.alert!.cycle}:${event.alert!.level}`);
}

/** Opens 20 Martha's Rule calls, alternating between the hubs; returns their case ids. */
async function openCalls(hubs: readonly Hub[]): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < 20; index += 1) {
    const hub = hubs[index % hubs.length]!;
    ids.push((await hub.receive(inbound(`+4477009008${String(index).padStart(2, '0')}`, LINES.martha, `call ${index}`))).caseId);
  }
  return ids;
}

/**
 * Half an hour, a minute at a time, of two hubs racing for every timer: each minute both rebuild their heaps from the
 * store (what a rescan or a restart gives a second hub) and fire at once, alternating who asks first. Then every call's
 * ladder fired each step once, every fired row was claimed by exactly one hub, and both hubs won and lost claims (the
 * compare-and-set was exercised).
 */
async function expectEachStepOnce(hubs: readonly [Hub, Hub], clocks: readonly [ManualClock, ManualClock], caseIds: readonly string[]): Promise<void> {
  const [a, b] = hubs;
  for (let minute = 0; minute <= 30; minute += 1) {
    await Promise.all([a.escalation.scheduler.start(), b.escalation.scheduler.start()]);
    const order = minute % 2 === 0 ? [a, b] : [b, a];
    await Promise.all(order.map((hub) => hub.escalation.scheduler.advanceTo()));
    for (const clock of clocks) clock.advance(MINUTE);
  }
  for (const caseId of caseIds) expect(await stepsFired(b, caseId)).toEqual(['0:0', '0:1', '0:2', '1:0', '1:1', '1:2']);
  const fired = await a.store.db.selectFrom('timers').select((eb) => eb.fn.countAll<number>().as('count')).where('state', '=', 'fired').executeTakeFirstOrThrow();
  const { claimed: claimedA, skipped: skippedA } = a.escalation.scheduler.counts;
  const { claimed: claimedB, skipped: skippedB } = b.escalation.scheduler.counts;
  expect(claimedA + claimedB).toBe(Number(fired.count));
  expect(claimedA).toBeGreaterThan(0);
  expect(claimedB).toBeGreaterThan(0);
  expect(skippedA + skippedB).toBeGreaterThan(0);
}

describe('durable escalation timers', () => {
  const hubs: Hub[] = [];
  const dirs: string[] = [];

  afterEach(async () => {
    for (const hub of hubs.splice(0)) await hub.close();
    for (const dir of dirs.splice(0)) removeDir(dir);
  });

  it('resumes a ladder after a restart from the next step, with no step fired twice', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const clock = new ManualClock(JUNE_10_2026_10AM);
    const first = await startHub({ clock, site: testSite(), dataDir });
    const { caseId } = await first.receive(inbound('+447700900456', LINES.martha, 'Help'));
    await first.escalation.scheduler.advanceTo();
    clock.advance(6 * MINUTE);
    await first.escalation.scheduler.advanceTo();
    expect(await stepsFired(first, caseId)).toEqual(['0:0', '0:1']);
    await first.close();

    // Down for six minutes: step 2 (due at 10 min) fell while nobody was running. The restarted hub fires it once,
    // late, and keeps the rest of the ladder on its original timeline (next round at 15 min).
    const later = new ManualClock(JUNE_10_2026_10AM + 12 * MINUTE);
    const second = await startHub({ clock: later, site: testSite(), dataDir });
    hubs.push(second);
    await second.escalation.scheduler.advanceTo();
    expect(await stepsFired(second, caseId)).toEqual(['0:0', '0:1', '0:2']);
    const late = (await storedAlerts(second, caseId)).at(-1)!;
    expect(late.at).toBe(JUNE_10_2026_10AM + 12 * MINUTE);
    const pending = await second.store.db.selectFrom('timers').select(['kind', 'step', 'due_at']).where('case_id', '=', caseId).where('state', '=', 'pending').execute();
    expect(pending).toEqual([{ kind: 'step', step: 0, due_at: JUNE_10_2026_10AM + 15 * MINUTE }]);
    later.advance(3 * MINUTE);
    await second.escalation.scheduler.advanceTo();
    expect(await stepsFired(second, caseId)).toEqual(['0:0', '0:1', '0:2', '1:0']);
    // The lateness of the step that fired two minutes late is on /metrics.
    const metrics = await (await fetch(`${second.url}/metrics`)).text();
    expect(metrics).toMatch(/clarion_timer_lateness_seconds_bucket\{le="60"\} \d+/);
    expect(metrics).toMatch(/clarion_timer_lateness_seconds_bucket\{le="5"\} [0-9]+/);
    const count = Number(/clarion_timer_lateness_seconds_count (\d+)/.exec(metrics)?.[1]);
    const withinMinute = Number(/clarion_timer_lateness_seconds_bucket\{le="60"\} (\d+)/.exec(metrics)?.[1]);
    expect(count - withinMinute).toBe(1);
  });

  it("keeps a shift's end across a restart: on shift until then on the new hub's clock, off after", async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const clock = new ManualClock(JUNE_10_2026_10AM);
    const first = await startHub({ clock, site: testSite(), dataDir });
    await addStaff(first, 'sam', 'outreach');
    const end = JUNE_10_2026_10AM + 60 * MINUTE;
    const before = await connectDesk(first, 'sam');
    expect(await requestShift(before, { onShift: true, endsAt: end })).toMatchObject({ ok: true, endsAt: end });
    before.close();
    await first.close();

    // Restarted 40 minutes on: the stored end still holds, with nothing in memory carried over.
    const later = new ManualClock(JUNE_10_2026_10AM + 40 * MINUTE);
    const second = await startHub({ clock: later, site: testSite(), dataDir });
    hubs.push(second);
    const sam = await connectDesk(second, 'sam');
    try {
      expect(await shiftStatus(sam)).toMatchObject({ ok: true, onShift: true, endsAt: end });
      const during = await second.receive(inbound('+447700900456', LINES.martha, 'during the shift'));
      await second.escalation.scheduler.advanceTo();
      expect((await storedAlerts(second, during.caseId))[0]).toMatchObject({ type: 'alert.escalated', alert: { level: 0, targets: [sam.userId] } });

      later.advance(20 * MINUTE);
      expect(await shiftStatus(sam)).toMatchObject({ ok: true, onShift: false, endsAt: null });
      const after = await second.receive(inbound('+447700900457', LINES.martha, 'after the shift'));
      await second.escalation.scheduler.advanceTo();
      expect((await storedAlerts(second, after.caseId))[0]).toMatchObject({ type: 'alert.nobody_reachable', alert: { level: 0 } });
    } finally {
      sam.close();
    }
  });

  it('fires each step once when two hubs share one store (two SQLite connections to one file, in one process)', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const clocks = [new ManualClock(JUNE_10_2026_10AM), new ManualClock(JUNE_10_2026_10AM)] as const;
    const a = await startHub({ clock: clocks[0], site: testSite(), dataDir });
    hubs.push(a);
    const ids = await openCalls([a]);
    const b = await startHub({ clock: clocks[1], site: testSite(), dataDir });
    hubs.push(b);
    // In one process better-sqlite3 runs each hub's transaction to its commit without yielding, so the loser of each
    // round is whoever's write queue drains second.
    await expectEachStepOnce([a, b], clocks, ids);
  });

  it("takes over the ladder of a hub that stopped: a rescan fires overdue timers this heap never held", async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const clockA = new ManualClock(JUNE_10_2026_10AM);
    const clockB = new ManualClock(JUNE_10_2026_10AM);
    // B starts first, on an empty store: it never hears of the call A is about to open.
    const b = await startHub({ clock: clockB, site: testSite(), dataDir });
    hubs.push(b);
    const a = await startHub({ clock: clockA, site: testSite(), dataDir });
    const { caseId } = await a.receive(inbound('+447700900456', LINES.martha, 'Help, he is much worse'));
    await a.escalation.scheduler.advanceTo();
    expect(await stepsFired(a, caseId)).toEqual(['0:0']);
    await a.close();

    // Five minutes on, step 0:1 is due — but only A's heap held it.
    clockB.advance(5 * MINUTE + 20_000);
    await b.escalation.scheduler.advanceTo();
    expect(await stepsFired(b, caseId)).toEqual(['0:0']);
    expect(await b.escalation.scheduler.rescan()).toBeGreaterThan(0);
    expect(await stepsFired(b, caseId)).toEqual(['0:0', '0:1']);
    // The rest of the ladder now runs on B's heap, each step once.
    clockB.advance(5 * MINUTE);
    await b.escalation.scheduler.advanceTo();
    expect(await b.escalation.scheduler.rescan()).toBe(0);
    expect(await stepsFired(b, caseId)).toEqual(['0:0', '0:1', '0:2']);
  });

  it('does nothing when a heap entry outlives its timer (acknowledged before it fell due)', async () => {
    const clock = new ManualClock(JUNE_10_2026_10AM);
    const hub = await startHub({ clock, site: testSite() });
    hubs.push(hub);
    dirs.push(hub.config.dataDir);
    await addStaff(hub, 'sam', 'outreach');
    const sam = await connectDesk(hub, 'sam');
    try {
      const { caseId } = await hub.receive(inbound('+447700900456', LINES.martha, 'Help'));
      await hub.escalation.scheduler.advanceTo();
      expect((await send(sam, 'acknowledge', { commandId: commandId(), caseId, version: 1 })).ok).toBe(true);
      const before = hub.escalation.scheduler.counts;
      clock.advance(10 * MINUTE);
      await hub.escalation.scheduler.advanceTo();
      const after = hub.escalation.scheduler.counts;
      // The warning, breach and step entries were still in the heap; each found its row cancelled.
      expect(after.claimed).toBe(before.claimed);
      expect(after.skipped - before.skipped).toBe(2);
      expect(await stepsFired(hub, caseId)).toEqual(['0:0']);
    } finally {
      sam.close();
    }
  });

  it('keeps a timer that fails to fire pending and tries it again 5 s later, while the others of its batch fire', async () => {
    const clock = new ManualClock(JUNE_10_2026_10AM);
    const hub = await startHub({ clock, site: testSite() });
    hubs.push(hub);
    dirs.push(hub.config.dataDir);
    const { caseId: broken } = await hub.receive(inbound('+447700900456', LINES.martha, 'Help'));
    const { caseId: sound } = await hub.receive(inbound('+447700900457', LINES.martha, 'Please come'));
    await hub.escalation.scheduler.advanceTo();
    clock.advance(4.5 * MINUTE);
    await hub.escalation.scheduler.advanceTo();
    // A step row the engine cannot read (its detail is not JSON): firing it throws, as any fault inside the firing
    // transaction would.
    const step = () => hub.store.db.selectFrom('timers').select(['id', 'detail', 'state']).where('case_id', '=', broken).where('kind', '=', 'step').where('step', '=', 1).executeTakeFirstOrThrow();
    const { detail } = await step();
    await hub.store.db.updateTable('timers').set({ detail: '{not json' }).where('id', '=', (await step()).id).execute();

    // At 5 minutes both calls' next steps and breaches fall due together; the batch fails on the broken row and each is
    // fired on its own: everything but the broken step fires.
    clock.advance(0.5 * MINUTE);
    await hub.escalation.scheduler.advanceTo();
    expect(await stepsFired(hub, sound)).toEqual(['0:0', '0:1']);
    expect(await stepsFired(hub, broken)).toEqual(['0:0']);
    expect((await storedAlerts(hub, broken)).map((event) => event.type)).toContain('alert.breach');
    expect((await step()).state).toBe('pending');

    // Not before 5 s; then again, and — repaired meanwhile — it fires, once.
    await hub.store.db.updateTable('timers').set({ detail }).where('id', '=', (await step()).id).execute();
    clock.advance(4_000);
    await hub.escalation.scheduler.advanceTo();
    expect(await stepsFired(hub, broken)).toEqual(['0:0']);
    clock.advance(1_000);
    await hub.escalation.scheduler.advanceTo();
    expect(await stepsFired(hub, broken)).toEqual(['0:0', '0:1']);
    expect((await step()).state).toBe('fired');
  });

  it('serves everyone who asks while a batch commits with one more pass over the heap, which fires what fell due meanwhile', async () => {
    // Counts the scheduler's passes: each one starts by reading the clock.
    class CountingClock extends ManualClock {
      reads = 0;
      override now(): number {
        this.reads += 1;
        return super.now();
      }
    }
    const clock = new CountingClock(JUNE_10_2026_10AM);
    const hub = await startHub({ clock, site: testSite() });
    hubs.push(hub);
    dirs.push(hub.config.dataDir);
    const { caseId } = await hub.receive(inbound('+447700900456', LINES.martha, 'Help'));
    await hub.escalation.scheduler.advanceTo();
    clock.advance(5 * MINUTE);
    const readsBefore = clock.reads;
    const first = hub.escalation.scheduler.advanceTo();
    // While that batch commits, the clock moves on past the next step, and a thousand callers ask — as the armed
    // timer, tests and a rescan do. Each must see the step that fell due after it asked.
    clock.advance(5 * MINUTE);
    const meanwhile = Array.from({ length: 1_000 }, () => hub.escalation.scheduler.advanceTo());
    await Promise.all([first, ...meanwhile]);
    expect(await stepsFired(hub, caseId)).toEqual(['0:0', '0:1', '0:2']);
    // Two batches, each reading the clock a few times (the pass, the write, the firing): not a pass per caller.
    expect(clock.reads - readsBefore).toBeLessThan(50);
  });
});

const pgService = await postgres();

describe.skipIf(pgService.url === undefined)('durable escalation timers on PostgreSQL', () => {
  it('fires each step once when two hubs share one PostgreSQL store, each claiming over its own connections', async () => {
    const database = await freshDatabase(pgService.url!);
    const clocks = [new ManualClock(JUNE_10_2026_10AM), new ManualClock(JUNE_10_2026_10AM)] as const;
    const running: Hub[] = [];
    try {
      const a = await startHub({ clock: clocks[0], site: testSite(), databaseUrl: database.url });
      running.push(a);
      const b = await startHub({ clock: clocks[1], site: testSite(), databaseUrl: database.url });
      running.push(b);
      // Their transactions are open side by side, on two pools: each waits for the other's at the event log's advisory
      // lock, and the compare-and-set turns the later claim away.
      await expectEachStepOnce([a, b], clocks, await openCalls([a, b]));
    } finally {
      for (const hub of running) await stopHub(hub);
      await database.drop();
    }
  });
});
