// bench/timers: the escalation scheduler against its baseline, one setTimeout per deadline, in the same run.
//   npx tsx bench/timers/run.ts [--cases 100000] [--burst 1000] [--bursts 3] [--warm 300] [--staff 1500]
// 1. Bare: N deadlines scheduled in the min-heap with one armed timer vs N setTimeouts — schedule time, memory, and
//    lateness p99 when `burst` of them fall in the same second.
// 2. Hub: a data dir with N open cases (3 pending timers each, as the engine writes them) and a trust's staff directory
//    (`staff` accounts, a third of them with a shift row, none but the bench's desk connected) — restart to timers rebuilt;
//    then `bursts` × `burst` more cases written while it runs, whose ladder steps fall `burst` to a second, in seconds
//    two apart: lateness measured at a connected desk in its own process (bench/timers/desk.ts), so it includes the
//    claiming transaction, the alert event, the audit row, the commit and its WAL sync, and the socket.io broadcast.
//    Its p99 is taken over the steps of all the bursts together, and shown for each burst too: the p99 of one burst is
//    its tenth-worst step, which one stall of the disk or the machine can decide (docs/escalation.md, eighth session).
//    The hub's own write metrics (commits, their transactions and syncs) are reported for the bursts alongside, and
//    the disk's own sync time.
//    Before the burst, `warm` steps over one second fire first, as on a hub that has been running: the first steps a
//    freshly started process fires run unoptimised code and touch cold pages. Their lateness is reported on its own
//    line (at their lower rate), so a slow first second after a restart stays visible.
// Re-executes itself with --expose-gc so memory is measured after a full collection.
// BENCH_PROFILE=DIR: a V8 CPU profile of the burst alone (not the seeding), DIR/timers-burst.cpuprofile; summarise it
// with bench/ingest/profile-summary.ts. The profiler's own cost makes lateness worse while it runs.
import { spawnSync } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { createHub } from '../../server/hub';
import { SQLITE_FILE_NAME } from '../../server/store/open-store';
import { DeadlineHeap } from '../../server/escalation/min-heap';
import { addStaff, login } from '../../server/testing/hub-harness';
import { OUTREACH_POLICY, testSite } from '../../server/escalation/escalation-testing';
import { DeskReplySchema, type DeskCommand, type DeskReply } from './protocol';
import { AskedChild } from '../asked-child';
import { bound, describeWritePhase, parseMetrics, writePhase, type WritePhase } from '../write-metrics';
import { parsePrometheusText } from '../../server/testing/prometheus-text';
import { newSortableId } from '../../server/store/sortable-id';
import { diskSyncProbe } from '../disk-sync';
import { numberOption } from '../number-option';
import { onHub, seedStaff, type Exec } from './seed-staff';
import { cpuTimes, stealBetween } from '../cpu-steal';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  const result = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

const CASES = numberOption('cases', 100_000);
const BURST = numberOption('burst', 1_000);
const BURSTS = numberOption('bursts', 3);
const WARM = numberOption('warm', 300);
const STAFF = numberOption('staff', 1_500);
/** Each burst's second starts this long after the previous one's. */
const BURST_SPACING_MS = 2_000;

function heapUsed(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Starts profiling when BENCH_PROFILE is set; the function it returns stops and writes the profile. */
async function profileWindow(): Promise<() => Promise<void>> {
  const dir = process.env.BENCH_PROFILE;
  if (dir === undefined || dir === '') return async () => {};
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'timers-burst.cpuprofile'), JSON.stringify(profile));
    session.disconnect();
  };
}

/** The desk's process (desk.ts). */
class DeskProcess extends AskedChild<DeskCommand, DeskReply> {
  constructor() {
    super(fileURLToPath(new URL('./desk.ts', import.meta.url)), DeskReplySchema);
  }

  async report(): Promise<{ escalations: [string, number][]; loopDelay: { p99: number; max: number } }> {
    const reply = await this.ask({ type: 'report' });
    if (reply.type !== 'report') throw new Error('the desk answered out of turn');
    return reply;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** N deadlines: `burst` of them spread over one second starting `leadMs` from now, the rest a day away. */
function deadlines(leadMs: number): { id: string; dueAt: number }[] {
  const start = Date.now() + leadMs;
  return Array.from({ length: CASES }, (_, index) => ({
    id: randomUUID(),
    dueAt: index < BURST ? start + Math.floor((index / BURST) * 1000) : start + 86_400_000 + index,
  }));
}

async function bareHeap(): Promise<{ scheduleMs: number; bytes: number; p99: number }> {
  const entries = deadlines(1500);
  const before = heapUsed();
  const started = performance.now();
  const heap = new DeadlineHeap();
  heap.fill(
    entries.map((entry) => entry.id),
    entries.map((entry) => entry.dueAt),
  );
  const lateness: number[] = [];
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const next = heap.peekDue();
    if (next === undefined) return;
    timer = setTimeout(() => {
      const now = Date.now();
      while ((heap.peekDue() ?? Infinity) <= now) lateness.push(now - heap.pop()!.dueAt);
      if (lateness.length < BURST) arm();
    }, Math.max(0, next - Date.now()));
  };
  arm();
  const scheduleMs = performance.now() - started;
  const bytes = heapUsed() - before;
  while (lateness.length < BURST) await sleep(50);
  clearTimeout(timer);
  return { scheduleMs, bytes, p99: percentile(lateness, 99) };
}

async function bareTimeouts(): Promise<{ scheduleMs: number; bytes: number; p99: number }> {
  const entries = deadlines(1500);
  const before = heapUsed();
  const started = performance.now();
  const lateness: number[] = [];
  const timers = entries.map((entry) => setTimeout(() => lateness.push(Date.now() - entry.dueAt), entry.dueAt - Date.now()));
  const scheduleMs = performance.now() - started;
  const bytes = heapUsed() - before;
  while (lateness.length < BURST) await sleep(50);
  for (const timer of timers) clearTimeout(timer);
  return { scheduleMs, bytes, p99: percentile(lateness, 99) };
}

const SEED = {
  contact: 'insert into contacts (id, phone, name, patient_id, relation, preferred_channel, whatsapp_id, last_inbound_at, last_inbound_channel, created_at) values (?, ?, null, null, ?, ?, null, ?, ?, ?)',
  kase: `insert into cases (id, ref, line, line_purpose, queue_id, ward, status, priority, category, assignee_id, contact_id, patient_id, channel, version, opened_at, updated_at, last_message_at, last_message_preview, acknowledged_at, acknowledged_by, resolved_at, resolved_by, outcome, ack_due_at, respond_due_at, resolve_due_at)
     values (?, ?, '+447700900111', 'martha', 'outreach', null, 'open', 1, 'martha_rule', null, ?, null, 'sms', 1, ?, ?, ?, 'bench', null, null, null, null, null, ?, null, null)`,
  alert: "insert into case_alerts (case_id, queue_id, state, episode, ladder, level, cycle, started_at, silenced_until, updated_at) values (?, 'outreach', 'triggered', 1, ?, 1, 0, ?, null, ?)",
  timer: "insert into timers (id, case_id, kind, due_at, step, detail, state, created_at, fired_at) values (?, ?, ?, ?, ?, ?, 'pending', ?, null)",
};

/** Writes N open Martha's Rule cases, each with the rows the engine writes on open, with ids as the hub makes them (sortable-id.ts). */
async function seedCases(exec: Exec, from: number, count: number, burstDueFrom: number | null): Promise<{ steps: { id: string; caseId: string; dueAt: number }[] }> {
  const now = Date.now();
  const steps: { id: string; caseId: string; dueAt: number }[] = [];
  const ladder = JSON.stringify(OUTREACH_POLICY.ladder);
  for (let index = from; index < from + count; index += 1) {
    const caseId = newSortableId();
    const contactId = newSortableId();
    const inBurst = burstDueFrom !== null;
    const stepDue = burstDueFrom !== null ? burstDueFrom + Math.floor(((index - from) / count) * 1000) : now + 86_400_000 + index;
    await exec(SEED.contact, [contactId, `+4477${String(index).padStart(9, '0')}`, 'unknown', 'sms', now, 'sms', now]);
    await exec(SEED.kase, [caseId, 1001 + index, contactId, now, now, now, now + 300_000]);
    await exec(SEED.alert, [caseId, ladder, now, now]);
    const far = now + 86_400_000 + index;
    await exec(SEED.timer, [newSortableId(), caseId, 'deadline:acknowledge', far, 0, JSON.stringify({ deadline: 'acknowledge', at: [far, far + 1, far + 2], fractions: [0.5, 0.8], index: 0 }), now]);
    await exec(SEED.timer, [newSortableId(), caseId, 'deadline:first_response', far + 3, 0, JSON.stringify({ deadline: 'first_response', at: [far + 3, far + 4, far + 5], fractions: [0.5, 0.8], index: 0 }), now]);
    const stepId = newSortableId();
    await exec(SEED.timer, [stepId, caseId, 'step', stepDue, 1, JSON.stringify({ episode: 1, cycle: 0 }), now]);
    if (inBurst) steps.push({ id: stepId, caseId, dueAt: stepDue });
  }
  return { steps };
}

/** The months before the restart, written straight into the store's file. */
async function seedStore(dataDir: string, count: number): Promise<void> {
  const db = new SqliteDatabase(join(dataDir, SQLITE_FILE_NAME));
  const statements = new Map<string, SqliteDatabase.Statement>();
  const exec: Exec = (text, params) => {
    let statement = statements.get(text);
    if (statement === undefined) statements.set(text, (statement = db.prepare(text)));
    return statement.run(...params);
  };
  db.exec('begin');
  await seedStaff(exec, STAFF);
  await seedCases(exec, 0, count, null);
  db.exec('commit');
  db.close();
}

interface HubRun {
  restartMs: number;
  rebuildMs: number;
  heapSize: number;
  /** Over the steps of every burst. */
  p99: number;
  p50: number;
  /** Each burst's own. */
  burstP99s: number[];
  received: number;
  /** The warm-up's steps: the first this process fired. */
  warm: { p99: number; received: number };
  writes: WritePhase;
  disk: { p50: number; p99: number };
  /** The desk process's own event-loop delay over the bursts: the measuring, not the measured. */
  deskLoopDelay: { p99: number; max: number };
  /** The scheduler's lateness histogram over the bursts: bucket bounds in ms. */
  atHub: { p50: number; p99: number };
  /** CPU the hypervisor took over the bursts (Linux; undefined elsewhere). */
  steal: { ms: number; share: number } | undefined;
}

async function hubRun(): Promise<HubRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clarion-bench-timers-'));
  try {
    // First start creates the schema and the desk's user; then the store is filled as if the hub had run for months.
    const first = await createHub({ host: '127.0.0.1', port: 0, logLevel: 'silent', dataDir, site: testSite() });
    await addStaff(first, 'bench', 'outreach');
    await first.close();
    await seedStore(dataDir, CASES);

    const started = performance.now();
    const hub = await createHub({ host: '127.0.0.1', port: 0, logLevel: 'silent', dataDir, site: testSite() });
    const restartMs = performance.now() - started;
    const rebuildStarted = performance.now();
    await hub.escalation.scheduler.start();
    const rebuildMs = performance.now() - rebuildStarted;
    const heapSize = hub.escalation.scheduler.size;

    const desk = new DeskProcess();
    await desk.ask({ type: 'connect', url: hub.url, token: (await login(hub, 'bench')).token });
    // The warm-up and the bursts: more cases written while the hub runs, on the hub's own connection (as the engine
    // writes them, so its page cache holds them as it would), and pushed to the heap as the engine does. The warm-up's
    // steps fall in one second starting 1.5 s from now, each burst's in a second starting two seconds after the last.
    const seeded = await hub.store.db.transaction().execute((trx) => seedCases(onHub(trx), CASES, WARM + BURSTS * BURST, Date.now() + 86_400_000));
    // Writing them takes a while on a big store; only then are their steps set to fall when they should.
    const warmFrom = Date.now() + 1_500;
    const burstFrom = warmFrom + 2_000;
    const warmDues = new Map<string, number>();
    const burstDues = Array.from({ length: BURSTS }, () => new Map<string, number>());
    await hub.store.db.transaction().execute(async (trx) => {
      for (const [index, step] of seeded.steps.entries()) {
        const warming = index < WARM;
        const burst = Math.floor((index - WARM) / BURST);
        step.dueAt = warming ? warmFrom + Math.floor((index / WARM) * 1000) : burstFrom + burst * BURST_SPACING_MS + Math.floor((((index - WARM) % BURST) / BURST) * 1000);
        await onHub(trx)('update timers set due_at = ? where id = ?', [step.dueAt, step.id]);
        (warming ? warmDues : burstDues[burst]!).set(step.caseId, step.dueAt);
      }
    });
    // The scaffolding's own writes are checkpointed here, so the hub's first commits do not pay for copying them.
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(hub.store.db);
    for (const step of seeded.steps) hub.escalation.scheduler.schedule(step.id, step.dueAt);
    await sleep(Math.max(0, warmFrom + 1_200 - Date.now()));
    // Between the warm-up and the burst: the disk's own sync, which every commit waits for.
    const disk = await diskSyncProbe();
    const scrapedBefore = await hub.metrics.registry.metrics();
    const before = parseMetrics(scrapedBefore);
    const firedBefore = parsePrometheusText(scrapedBefore, 'clarion_timer_');
    await desk.ask({ type: 'reset' });
    await sleep(Math.max(0, burstFrom - 50 - Date.now()));
    const stopProfile = await profileWindow();
    const cpuBefore = cpuTimes();
    // Every step escalates to the desk; done when it has them all (or long after the second they fell in). Not asked
    // during the burst: the answer (every escalation so far, parsed here) would be work on the hub's own event loop, in
    // this process, every time it was asked — the measuring, billed to the measured.
    const lastBurstFrom = burstFrom + (BURSTS - 1) * BURST_SPACING_MS;
    const deadline = lastBurstFrom + 1000 + 20_000;
    await sleep(Math.max(0, lastBurstFrom + 1_500 - Date.now()));
    let report = await desk.report();
    while (report.escalations.length < WARM + BURSTS * BURST && Date.now() < deadline) {
      await sleep(250);
      report = await desk.report();
    }
    const { escalations } = report;
    const steal = stealBetween(cpuBefore, cpuTimes());
    await stopProfile();
    const scrapedAfter = await hub.metrics.registry.metrics();
    const writes = writePhase(before, parseMetrics(scrapedAfter));
    // The scheduler's own measure, in the hub: due time to the firing's commit being durable and its events handed to
    // the desks' sockets — without the network and the desk's process (bucket bounds, as /metrics gives them).
    const firedAfter = parsePrometheusText(scrapedAfter, 'clarion_timer_');
    const atHub = { p50: bound(firedBefore, firedAfter, 'clarion_timer_lateness_seconds', 0.5), p99: bound(firedBefore, firedAfter, 'clarion_timer_lateness_seconds', 0.99) };
    const latenessOf = (dues: Map<string, number>) =>
      escalations.flatMap(([caseId, receivedAt]) => {
        const due = dues.get(caseId);
        return due === undefined ? [] : [receivedAt - due];
      });
    const perBurst = burstDues.map(latenessOf);
    const lateness = perBurst.flat();
    const warmLateness = latenessOf(warmDues);
    await desk.close({ type: 'close' });
    await hub.close();
    return {
      restartMs,
      rebuildMs,
      heapSize,
      p99: percentile(lateness, 99),
      p50: percentile(lateness, 50),
      burstP99s: perBurst.map((values) => percentile(values, 99)),
      received: lateness.length,
      warm: { p99: percentile(warmLateness, 99), received: warmLateness.length },
      writes,
      disk,
      deskLoopDelay: report.loopDelay,
      atHub,
      steal,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const heap = await bareHeap();
const baseline = await bareTimeouts();
const hub = await hubRun();
const ratio = (ours: number, base: number) => (base === 0 ? 'n/a' : `${(ours / base).toFixed(2)}×`);
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
console.log(
  `\nbench/timers — ${CASES.toLocaleString('en-GB')} deadlines, ${BURST.toLocaleString('en-GB')} due in one second (${BURSTS} such seconds at the hub, ${STAFF.toLocaleString('en-GB')} staff accounts) (Node ${process.version})\n`,
);
console.table([
  { measure: 'schedule all (ms)', heap: heap.scheduleMs.toFixed(1), 'setTimeout each (baseline)': baseline.scheduleMs.toFixed(1), ratio: ratio(heap.scheduleMs, baseline.scheduleMs) },
  { measure: 'memory (JS heap)', heap: mb(heap.bytes), 'setTimeout each (baseline)': mb(baseline.bytes), ratio: ratio(heap.bytes, baseline.bytes) },
  { measure: 'lateness p99, bare (ms)', heap: heap.p99.toFixed(1), 'setTimeout each (baseline)': baseline.p99.toFixed(1), ratio: ratio(heap.p99, baseline.p99) },
]);
console.table([
  { measure: `hub restart, ${CASES.toLocaleString('en-GB')} open cases (${hub.heapSize.toLocaleString('en-GB')} pending timers) (ms)`, value: hub.restartMs.toFixed(0), target: '< 1000' },
  { measure: 'heap rebuild from the store alone (ms)', value: hub.rebuildMs.toFixed(0), target: '< 1000' },
  { measure: `lateness p50 at the desk, ${hub.received} steps in ${BURSTS} bursts of ${BURST} in one second (ms)`, value: hub.p50.toFixed(1), target: '' },
  { measure: 'lateness p99 at the desk: claim + event + audit + commit + broadcast (ms)', value: hub.p99.toFixed(1), target: '< 10' },
  { measure: 'lateness p99 of each burst on its own (ms)', value: hub.burstP99s.map((p99) => p99.toFixed(1)).join(' · '), target: '' },
  { measure: "lateness p50 / p99 in the hub, to the events handed to the desks' sockets (ms, /metrics buckets)", value: `≤ ${hub.atHub.p50} / ≤ ${hub.atHub.p99}`, target: '' },
  { measure: `lateness p99 of the warm-up: the first ${hub.warm.received} steps after the restart, in one second (ms)`, value: hub.warm.p99.toFixed(1), target: '' },
  { measure: 'disk: 16 KB write + fdatasync p50 / p99, just before the burst (ms)', value: `${hub.disk.p50.toFixed(2)} / ${hub.disk.p99.toFixed(2)}`, target: '' },
  {
    measure: 'CPU taken by the hypervisor (steal) from the bursts to the report, all CPUs',
    value: hub.steal === undefined ? 'n/a' : `${hub.steal.ms} ms (${(hub.steal.share * 100).toFixed(1)}%)`,
    target: '',
  },
  { measure: "the desk process's own event-loop delay p99 / max over the bursts (ms)", value: `${hub.deskLoopDelay.p99.toFixed(1)} / ${hub.deskLoopDelay.max.toFixed(1)}`, target: '' },
]);
console.log(`\nThe hub's write path during the burst, from its /metrics (${(hub.received / hub.writes.commits).toFixed(1)} steps per commit):\n${describeWritePhase(hub.writes)}`);
