// bench/timers/step-cost: what one escalation step costs the hub's event loop, by how many steps share a commit — the
// figure behind bench/timers' lateness tail, measured without its noise.
//   npx tsx bench/timers/step-cost.ts [--steps 1000] [--staff 1500] [--rounds 3]
// A hub on a ManualClock, with a trust's staff directory and a desk on shift in its own process (bench/timers/desk.ts).
// Each round opens `steps` Martha's Rule calls 1 ms apart through the hub's own intake, so each one's second ladder step
// falls 7 minutes later, again 1 ms apart; then the clock walks through those steps k ms at a time, so that each commit
// fires k of them (claim, alert event, audit row, next timer, commit, WAL sync, broadcast). The event loop's active time
// over the walk (performance.eventLoopUtilization: it counts a sync on the event loop, which blocks it) divided by the
// steps is the cost of a step. The baseline, in the same run, is the largest batch the scheduler makes (200 a commit):
// the ratio says how much of a step's cost is its commit's. bench/timers fires 1,000 steps a second, so a step that
// costs 0.7 ms keeps the event loop 70% busy, and a stall of the disk or the machine takes long to catch up.
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { AskedChild } from '../asked-child';
import { ManualClock } from '../../server/clock';
import type { Hub } from '../../server/hub';
import { addStaff, inbound, LINES, login, startHub, tempDataDir, removeDir } from '../../server/testing/hub-harness';
import { JUNE_10_2026_10AM, MINUTE, testSite } from '../../server/escalation/escalation-testing';
import { DeskReplySchema, type DeskCommand, type DeskReply } from './protocol';
import { median } from '../median';
import { numberOption } from '../number-option';
import { seedStaffIn } from './seed-staff';

const STEPS = numberOption('steps', 1_000);
const STAFF = numberOption('staff', 1_500);
const ROUNDS = numberOption('rounds', 3);
const PER_COMMIT = [1, 2, 5, 200] as const;
const BASELINE = 200;
/** The second step's wait: clear of the acknowledge deadline's warnings and breach (2.5, 4 and 5 minutes). */
const STEP_AFTER_MINUTES = 7;
/** Rounds this far apart, so a round's walk meets nothing left from the one before. */
const ROUND_SPACING_MS = 60 * MINUTE;

const site = testSite({
  ladder: {
    steps: [
      { afterMinutes: 0, notify: { kind: 'on_shift', role: 'outreach' } },
      { afterMinutes: STEP_AFTER_MINUTES, notify: { kind: 'on_shift', role: 'outreach' } },
    ],
    repeat: 0,
    repeatAfterMinutes: 5,
  },
});

/** Opens `STEPS` calls 1 ms apart from `from`; returns when each one's first step has fired. */
async function openCalls(hub: Hub, clock: ManualClock, round: number): Promise<void> {
  for (let index = 0; index < STEPS; index += 1) {
    const phone = `+4477009${String(round).padStart(2, '0')}${String(index).padStart(4, '0')}`;
    await hub.receive(inbound(phone, LINES.martha, 'Dad is very drowsy and not himself'));
    clock.advance(1);
  }
  await hub.escalation.scheduler.advanceTo();
}

/** Walks the clock through the round's second steps `perCommit` ms at a time: event-loop ms per step. */
async function walk(hub: Hub, clock: ManualClock, from: number, perCommit: number): Promise<number> {
  clock.set(from - 1);
  await hub.escalation.scheduler.advanceTo();
  const firedBefore = hub.escalation.scheduler.counts.claimed;
  const before = performance.eventLoopUtilization();
  for (let at = from; at < from + STEPS; at += perCommit) {
    clock.set(at + perCommit - 1);
    await hub.escalation.scheduler.advanceTo();
  }
  const used = performance.eventLoopUtilization(before);
  const fired = hub.escalation.scheduler.counts.claimed - firedBefore;
  if (fired !== STEPS) throw new Error(`expected ${STEPS} steps to fire, ${fired} did`);
  return used.active / fired;
}

const clock = new ManualClock(JUNE_10_2026_10AM);
const dataDir = tempDataDir();
const hub = await startHub({ dataDir, clock, site });
const desk = new AskedChild<DeskCommand, DeskReply>(fileURLToPath(new URL('./desk.ts', import.meta.url)), DeskReplySchema);
try {
  await hub.store.db.transaction().execute((trx) => seedStaffIn(trx, STAFF));
  await addStaff(hub, 'bench', 'outreach');
  await desk.ask({ type: 'connect', url: hub.url, token: (await login(hub, 'bench')).token });
  const costs = new Map<number, number[]>(PER_COMMIT.map((k) => [k, []]));
  let round = 0;
  for (let repeat = 0; repeat < ROUNDS; repeat += 1) {
    for (const perCommit of PER_COMMIT) {
      const opensAt = JUNE_10_2026_10AM + round * ROUND_SPACING_MS;
      clock.set(opensAt);
      await hub.escalation.scheduler.advanceTo();
      await openCalls(hub, clock, round);
      costs.get(perCommit)!.push(await walk(hub, clock, opensAt + STEP_AFTER_MINUTES * MINUTE, perCommit));
      round += 1;
    }
  }
  const baseline = median(costs.get(BASELINE)!);
  console.log(`\nbench/timers/step-cost — ${STEPS.toLocaleString('en-GB')} steps a round, ${ROUNDS} rounds, ${STAFF.toLocaleString('en-GB')} staff accounts (Node ${process.version})\n`);
  console.table(
    PER_COMMIT.map((perCommit) => {
      const values = costs.get(perCommit)!;
      return {
        'steps per commit': perCommit,
        'event loop per step (ms), median': median(values).toFixed(3),
        'each round (ms)': values.map((value) => value.toFixed(3)).join(' · '),
        [`ratio to ${BASELINE} per commit`]: `${(median(values) / baseline).toFixed(2)}×`,
      };
    }),
  );
} finally {
  await desk.close({ type: 'close' });
  await hub.close();
  removeDir(dataDir);
}
