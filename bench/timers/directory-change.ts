// bench/timers/directory-change: what the first ladder step after a change to the staff directory (a shift begun or
// ended, an account edited) costs, against the same step with the directory unchanged, in the same run.
//   npx tsx bench/timers/directory-change.ts [--desks 300] [--staff 1500] [--rounds 12]
// A hub on a ManualClock with a trust's `staff` accounts (seed-staff.ts), the first `desks` of which count as connected (marked on the hub's
// presence directly: what is measured is the engine's reading of the directory, not socket.io). Each round opens a
// Martha's Rule call, fires its first step, and then — every other round — edits an account, so the directory's token
// changes; then it times the firing of everything due five minutes on (the deadline's warnings and the ladder's team
// step, which reaches every outreach account connected: a fifth of the desks). The engine keeps what it read of the
// directory until the token changes (server/escalation/targets.ts), so the rounds with a change pay for reading the
// connected users again. On SQLite, and on PostgreSQL when it is reachable, where each statement is a round trip.
import { performance } from 'node:perf_hooks';
import { ManualClock } from '../../server/clock';
import type { Hub } from '../../server/hub';
import { inbound, LINES, startHub, stopHub } from '../../server/testing/hub-harness';
import { freshDatabase, postgres } from '../../server/testing/services';
import { JUNE_10_2026_10AM, MINUTE, testSite } from '../../server/escalation/escalation-testing';
import { median } from '../median';
import { numberOption } from '../number-option';
import { seedStaffIn } from './seed-staff';

const DESKS = numberOption('desks', 300);
const STAFF = numberOption('staff', 1_500);
const ROUNDS = numberOption('rounds', 12);

async function measure(hub: Hub, clock: ManualClock): Promise<{ changed: number; unchanged: number }> {
  const ids = await seedStaffIn(hub.store.db, STAFF);
  for (const id of ids.slice(0, DESKS)) hub.presence.connected(id);
  const times = { changed: [] as number[], unchanged: [] as number[] };
  for (let round = 0; round < ROUNDS * 2; round += 1) {
    await hub.receive(inbound(`+447700${String(round).padStart(6, '0')}`, LINES.martha, 'Dad is very drowsy and not himself'));
    await hub.escalation.scheduler.advanceTo();
    const change = round % 2 === 1;
    if (change) await hub.store.db.updateTable('users').set({ display_name: `Staff 0 (${round})` }).where('id', '=', ids[0]!).execute();
    clock.advance(5 * MINUTE);
    const started = performance.now();
    await hub.escalation.scheduler.advanceTo();
    (change ? times.changed : times.unchanged).push(performance.now() - started);
    // Past the rest of this call's ladder, so the next round's firing is its own.
    clock.advance(60 * MINUTE);
    await hub.escalation.scheduler.advanceTo();
  }
  return { changed: median(times.changed), unchanged: median(times.unchanged) };
}

const results: Record<string, string>[] = [];
const report = (store: string, { changed, unchanged }: { changed: number; unchanged: number }) =>
  results.push({ store, 'directory unchanged (ms, median)': unchanged.toFixed(1), 'first step after a change (ms, median)': changed.toFixed(1), ratio: `${(changed / unchanged).toFixed(2)}×` });

{
  const clock = new ManualClock(JUNE_10_2026_10AM);
  const hub = await startHub({ clock, site: testSite() });
  try {
    report('SQLite', await measure(hub, clock));
  } finally {
    await stopHub(hub);
  }
}
const pg = await postgres();
if (pg.url === undefined) console.log(`PostgreSQL skipped: ${pg.reason}`);
else {
  const database = await freshDatabase(pg.url);
  const clock = new ManualClock(JUNE_10_2026_10AM);
  try {
    const hub = await startHub({ clock, site: testSite(), databaseUrl: database.url });
    try {
      report('PostgreSQL', await measure(hub, clock));
    } finally {
      await stopHub(hub);
    }
  } finally {
    await database.drop();
  }
}
console.log(`\nbench/timers/directory-change — ${DESKS} of ${STAFF.toLocaleString('en-GB')} accounts connected, ${ROUNDS} rounds each way (Node ${process.version})\n`);
console.table(results);
