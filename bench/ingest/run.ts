// bench/ingest: signed webhooks → stored → delivered to 50 desks, for the hub and for the raw pipeline
// (node:http + one insert + one broadcast) on the same machine in the same run; prints both and ratios.
// `npm run bench:ingest`. Settings by environment: BENCH_SECONDS (10), BENCH_RATE (500), BENCH_DESKS (50),
// BENCH_IN_FLIGHT (128), BENCH_LOG_LEVEL (info), BENCH_ROUNDS (3), RAW_SYNCHRONOUS (NORMAL | FULL), BENCH_PROFILE (dir).
// The pipelines alternate for BENCH_ROUNDS rounds and each reports its best round, so a neighbour's
// burst of CPU on a shared machine does not decide the ratio.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { startFakeCarrierApis } from '../../server/outbox/fake-carrier-apis';
import { benchCarrierEnv, buildRequests, carriersFor, closedLoop, closeSender, PATIENTS, steadyRate } from './load';
import { DeskReplySchema, preciseNow, type DeskCommand, type DeskReply } from './protocol';
import { AskedChild } from '../asked-child';
import { describeWritePhase, parseMetrics, writePhase, type WritePhase } from '../write-metrics';
import { diskSyncProbe } from '../disk-sync';

const settings = z
  .object({
    seconds: z.coerce.number().min(2).max(60).default(10),
    rate: z.coerce.number().int().min(10).max(5_000).default(500),
    desks: z.coerce.number().int().min(1).max(200).default(50),
    inFlight: z.coerce.number().int().min(1).max(256).default(128),
    logLevel: z.enum(['info', 'warn', 'error']).default('info'),
    rounds: z.coerce.number().int().min(1).max(5).default(3),
  })
  .parse({ seconds: process.env.BENCH_SECONDS, rate: process.env.BENCH_RATE, desks: process.env.BENCH_DESKS, inFlight: process.env.BENCH_IN_FLIGHT, logLevel: process.env.BENCH_LOG_LEVEL, rounds: process.env.BENCH_ROUNDS });

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const CLARION_BIN = fileURLToPath(new URL('../../bin/clarion.js', import.meta.url));
const TSX = ['--import', 'tsx'];
const carriers = carriersFor(benchCarrierEnv());
// Twilio's API, answered in its wire format on 127.0.0.1: the hub's first replies to Martha's Rule calls are sent
// and done, as in a hospital, instead of failing against an unreachable api.twilio.com and being retried mid-phase.
const carrierApis = await startFakeCarrierApis();

interface Pipeline {
  name: string;
  /** The hub answers each new Martha's Rule case with a first reply through the carrier's API; raw sends nothing. */
  sendsFirstReplies: boolean;
  url: string;
  token?: string;
  pid: number;
  stop(): Promise<void>;
}

function waitForLine(read: () => string, pattern: RegExp, what: string, timeoutMs = 30_000): Promise<RegExpExecArray> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      const match = pattern.exec(read());
      if (match !== null) return resolve(match);
      if (Date.now() - started > timeoutMs) return reject(new Error(`${what} did not start:\n${read()}`));
      setTimeout(poll, 50);
    };
    poll();
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function startRaw(): Promise<Pipeline> {
  const child = spawn(process.execPath, [...TSX, here('./raw-server.ts')], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const match = await waitForLine(() => output, /RAW_READY (\S+) synchronous=(\w+)/, 'raw pipeline');
  return { name: `raw (synchronous=${match[2] ?? '?'})`, sendsFirstReplies: false, url: match[1] ?? '', pid: child.pid ?? 0, stop: () => stopChild(child) };
}

async function startHub(): Promise<Pipeline> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clarion-bench-hub-'));
  const env = { ...process.env, ...benchCarrierEnv(), TWILIO_API_BASE_URL: carrierApis.baseUrl, LOG_LEVEL: settings.logLevel, NODE_ENV: 'production' };
  await new Promise<void>((resolve, reject) => {
    const add = spawn(process.execPath, [CLARION_BIN, 'user', 'add', 'bench', '--role', 'outreach', '--data', dataDir], { env, stdio: ['pipe', 'ignore', 'inherit'] });
    add.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`user add exited ${code}`))));
    add.stdin?.end('bench password for the ingest benchmark\n');
  });
  // The hub's log goes to a file, as in production: reading it through a pipe would bill the bench.
  const logFile = join(dataDir, 'hub.log');
  const fd = openSync(logFile, 'a');
  // BENCH_PROFILE=DIR: the hub writes a V8 CPU profile there on exit (summarise with profile-summary.ts).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, CLARION_BIN, 'hub', '--port', '0', '--host', '127.0.0.1', '--data', dataDir], { env, stdio: ['ignore', fd, fd] });
  const match = await waitForLine(() => readFileSync(logFile, 'utf8'), /Clarion hub (http:\/\/\S+)/, 'hub');
  const url = match[1] ?? '';
  const login = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password: 'bench password for the ingest benchmark' }) });
  const { token } = z.object({ token: z.string() }).parse(await login.json());
  return {
    name: 'hub (WAL synced per commit, group commit)',
    sendsFirstReplies: true,
    url,
    token,
    pid: child.pid ?? 0,
    async stop() {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * CPU time (ms) a process has used, from /proc; undefined where there is no /proc. With `mainThread`, only its main
 * thread's (the event loop's), whose share of a core is what makes webhooks queue.
 */
function cpuMs(pid: number, mainThread = false): number | undefined {
  try {
    const fields = readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** The desks' process (desks.ts). */
class Desks extends AskedChild<DeskCommand, DeskReply> {
  constructor() {
    super(here('./desks.ts'), DeskReplySchema);
  }

  async report(): Promise<Extract<DeskReply, { type: 'report' }>> {
    const reply = await this.ask({ type: 'report' });
    if (reply.type !== 'report') throw new Error('desks answered out of turn');
    return reply;
  }
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * (sorted.length - 1)))] ?? Number.NaN;
}

async function drained(desks: Desks, expected: number, graceMs: number) {
  const until = Date.now() + graceMs;
  let report = await desks.report();
  while (report.completed.length < expected && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    report = await desks.report();
  }
  return report;
}

async function firstRepliesSent(calls: number, graceMs: number): Promise<void> {
  const until = Date.now() + graceMs;
  while (carrierApis.calls.length < calls) {
    if (Date.now() > until) throw new Error(`the hub sent ${carrierApis.calls.length} of ${calls} first replies in ${graceMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A process's event-loop delay over a phase (ms). A stall in the sender or the desks is billed to whichever server ran. */
interface LoopDelay {
  p99: number;
  max: number;
}

interface Result {
  name: string;
  /** The hub's write path during the steady phase, from its /metrics; the raw pipeline has none. */
  writes?: WritePhase;
  connectMs: number;
  sync: { p50: number; p99: number };
  latency: { sent: number; delivered: number; failures: number; p50: number; p99: number; max: number; senderLagP99: number; senderLoopDelay: LoopDelay; desksLoopDelay: LoopDelay; answerP50: number; answerP99: number; serverCpu: number; serverMainThreadCpu: number; desksCpu: number };
  throughput: { answeredPerSecond: number; deliveredPerSecond: number; failures: number; serverCpu: number; desksCpu: number };
}

async function measure(pipeline: Pipeline): Promise<Result> {
  const sync = await diskSyncProbe();
  const desks = new Desks();
  try {
    const connected = await desks.ask({ type: 'connect', url: pipeline.url, desks: settings.desks, ...(pipeline.token !== undefined ? { token: pipeline.token } : {}) });
    const connectMs = connected.type === 'connected' ? connected.connectMs : Number.NaN;

    // Warm-up: JIT, prepared statements, and the 200 patients' cases opened. The phases start once the hub has sent
    // every case's first reply and the desks have everything: otherwise the warm-up's tail is measured as latency.
    const sendsBefore = carrierApis.calls.length;
    await steadyRate(pipeline.url, buildRequests(carriers, 1, 2 * PATIENTS), 1, 200, 2);
    if (pipeline.sendsFirstReplies) await firstRepliesSent(sendsBefore + PATIENTS, 30_000);
    await drained(desks, 2 * PATIENTS, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 500));

    const latencyCount = settings.rate * settings.seconds;
    const latencyRequests = buildRequests(carriers, 1_000_000, latencyCount);
    await desks.ask({ type: 'reset' });
    const scrape = async () => (pipeline.token === undefined ? undefined : parseMetrics(await (await fetch(`${pipeline.url}/metrics`)).text()));
    const metricsBefore = await scrape();
    const cpuBefore = cpuMs(pipeline.pid) ?? Number.NaN;
    const mainThreadBefore = cpuMs(pipeline.pid, true) ?? Number.NaN;
    const senderDelay = monitorEventLoopDelay({ resolution: 1 });
    senderDelay.enable();
    const steady = await steadyRate(pipeline.url, latencyRequests, 1_000_000, settings.rate, settings.seconds);
    senderDelay.disable();
    const steadyReport = await drained(desks, steady.sentAt.size, 5_000);
    const metricsAfter = await scrape();
    const serverCpuLatency = ((cpuMs(pipeline.pid) ?? Number.NaN) - cpuBefore) / (settings.seconds * 1000);
    const serverMainThreadCpu = ((cpuMs(pipeline.pid, true) ?? Number.NaN) - mainThreadBefore) / (settings.seconds * 1000);
    const latencies = steadyReport.completed
      .map(([id, doneAt]) => doneAt - (steady.sentAt.get(id) ?? Number.NaN))
      .filter((value) => Number.isFinite(value))
      .sort((a, b) => a - b);
    const lag = [...steady.lagMs].sort((a, b) => a - b);
    const answers = [...steady.answerMs].sort((a, b) => a - b);

    const throughputRequests = buildRequests(carriers, 2_000_000, Math.max(5_000, settings.seconds * 4_000));
    await desks.ask({ type: 'reset' });
    const cpuBeforeLoop = cpuMs(pipeline.pid) ?? Number.NaN;
    const loopStart = preciseNow();
    const loop = await closedLoop(pipeline.url, throughputRequests, 2_000_000, settings.inFlight, settings.seconds);
    const serverCpuLoop = ((cpuMs(pipeline.pid) ?? Number.NaN) - cpuBeforeLoop) / loop.elapsedMs;
    const loopReport = await drained(desks, loop.sentAt.size, 5_000);
    const windowEnd = loopStart + loop.elapsedMs;
    const deliveredInWindow = loopReport.completed.filter(([, doneAt]) => doneAt <= windowEnd).length;

    return {
      name: pipeline.name,
      ...(metricsBefore === undefined || metricsAfter === undefined ? {} : { writes: writePhase(metricsBefore, metricsAfter) }),
      connectMs,
      sync,
      latency: {
        sent: steady.sentAt.size,
        delivered: latencies.length,
        failures: steady.failures,
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        max: latencies.at(-1) ?? Number.NaN,
        senderLagP99: percentile(lag, 0.99),
        senderLoopDelay: { p99: senderDelay.percentile(99) / 1e6, max: senderDelay.max / 1e6 },
        desksLoopDelay: steadyReport.loopDelay,
        answerP50: percentile(answers, 0.5),
        answerP99: percentile(answers, 0.99),
        serverCpu: serverCpuLatency,
        serverMainThreadCpu,
        desksCpu: steadyReport.cpuMs / (settings.seconds * 1000),
      },
      throughput: {
        answeredPerSecond: (loop.answered * 1000) / loop.elapsedMs,
        deliveredPerSecond: (deliveredInWindow * 1000) / loop.elapsedMs,
        failures: loop.failures,
        serverCpu: serverCpuLoop,
        desksCpu: loopReport.cpuMs / loop.elapsedMs,
      },
    };
  } finally {
    await desks.close({ type: 'close' });
  }
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const percent = (value: number) => (Number.isFinite(value) ? `${Math.round(value * 100)}%` : 'n/a');

function print(raw: Result, hub: Result): void {
  const rows: [string, string, string, string][] = [
    ['', raw.name, hub.name, 'hub / raw'],
    ['sustained msgs/s (delivered to every desk)', fixed(raw.throughput.deliveredPerSecond, 0), fixed(hub.throughput.deliveredPerSecond, 0), `${percent(hub.throughput.deliveredPerSecond / raw.throughput.deliveredPerSecond)}  (target ≥ 60%)`],
    ['  webhooks answered/s', fixed(raw.throughput.answeredPerSecond, 0), fixed(hub.throughput.answeredPerSecond, 0), percent(hub.throughput.answeredPerSecond / raw.throughput.answeredPerSecond)],
    ['  server CPU / desks CPU (cores)', `${fixed(raw.throughput.serverCpu, 2)} / ${fixed(raw.throughput.desksCpu, 2)}`, `${fixed(hub.throughput.serverCpu, 2)} / ${fixed(hub.throughput.desksCpu, 2)}`, ''],
    [`p50 webhook→last desk @${settings.rate}/s (ms)`, fixed(raw.latency.p50), fixed(hub.latency.p50), `×${fixed(hub.latency.p50 / raw.latency.p50, 2)}`],
    [`p99 webhook→last desk @${settings.rate}/s (ms)`, fixed(raw.latency.p99), fixed(hub.latency.p99), `×${fixed(hub.latency.p99 / raw.latency.p99, 2)}  (target hub < 25 ms)`],
    ['  webhook answered p50 / p99 (ms)', `${fixed(raw.latency.answerP50)} / ${fixed(raw.latency.answerP99)}`, `${fixed(hub.latency.answerP50)} / ${fixed(hub.latency.answerP99)}`, ''],
    ['  max (ms)', fixed(raw.latency.max), fixed(hub.latency.max), ''],
    ['  delivered / sent, non-2xx', `${raw.latency.delivered}/${raw.latency.sent}, ${raw.latency.failures}`, `${hub.latency.delivered}/${hub.latency.sent}, ${hub.latency.failures}`, ''],
    ['  server CPU / desks CPU (cores)', `${fixed(raw.latency.serverCpu, 2)} / ${fixed(raw.latency.desksCpu, 2)}`, `${fixed(hub.latency.serverCpu, 2)} / ${fixed(hub.latency.desksCpu, 2)}`, ''],
    ["  server's main thread (cores)", fixed(raw.latency.serverMainThreadCpu, 2), fixed(hub.latency.serverMainThreadCpu, 2), 'share of one core the event loop was busy'],
    ['  sender lag p99 (ms)', fixed(raw.latency.senderLagP99, 2), fixed(hub.latency.senderLagP99, 2), ''],
    ["  sender's / desks' event-loop delay p99 (ms)", `${fixed(raw.latency.senderLoopDelay.p99)} / ${fixed(raw.latency.desksLoopDelay.p99)}`, `${fixed(hub.latency.senderLoopDelay.p99)} / ${fixed(hub.latency.desksLoopDelay.p99)}`, 'stalls of the measuring processes'],
    ["  sender's / desks' event-loop delay max (ms)", `${fixed(raw.latency.senderLoopDelay.max)} / ${fixed(raw.latency.desksLoopDelay.max)}`, `${fixed(hub.latency.senderLoopDelay.max)} / ${fixed(hub.latency.desksLoopDelay.max)}`, ''],
    ['disk: 16 KB write+fdatasync p50 / p99 (ms)', `${fixed(raw.sync.p50, 2)} / ${fixed(raw.sync.p99, 2)}`, `${fixed(hub.sync.p50, 2)} / ${fixed(hub.sync.p99, 2)}`, 'measured before each phase'],
    [`${settings.desks} desks connected in (ms)`, fixed(raw.connectMs, 0), fixed(hub.connectMs, 0), ''],
  ];
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  process.stdout.write(`\nbench/ingest — ${settings.desks} desks in a separate process, ${settings.seconds} s per phase, Twilio-signed SMS webhooks, ${settings.inFlight} in flight for throughput\n\n`);
  for (const row of rows) process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('   ')}\n`);
  const throughputOk = hub.throughput.deliveredPerSecond >= 0.6 * raw.throughput.deliveredPerSecond;
  const latencyOk = hub.latency.p99 < 25 && hub.latency.delivered === hub.latency.sent;
  if (hub.writes !== undefined) process.stdout.write(`\nThe hub's write path in its best ${settings.rate}/s phase, from its /metrics:\n${describeWritePhase(hub.writes)}\n`);
  process.stdout.write(`\nthroughput target ${throughputOk ? 'MET' : 'MISSED'}; p99 target ${latencyOk ? 'MET' : 'MISSED'}\n`);
}

async function run(start: () => Promise<Pipeline>): Promise<Result> {
  const pipeline = await start();
  try {
    return await measure(pipeline);
  } finally {
    await pipeline.stop();
  }
}

/** The round with the most delivered per second, and separately the round with the lowest p99. */
function best(results: Result[]): Result {
  const throughput = results.reduce((a, b) => (b.throughput.deliveredPerSecond > a.throughput.deliveredPerSecond ? b : a));
  const latency = results.reduce((a, b) => (b.latency.delivered === b.latency.sent && !(b.latency.p99 >= a.latency.p99) ? b : a));
  return { ...latency, throughput: throughput.throughput };
}

async function main(): Promise<void> {
  const raws: Result[] = [];
  const hubs: Result[] = [];
  for (let round = 1; round <= settings.rounds; round += 1) {
    // Alternate which goes first, so neither always runs on the warmer (or busier) machine.
    const order = round % 2 === 1 ? (['raw', 'hub'] as const) : (['hub', 'raw'] as const);
    for (const which of order) {
      const result = which === 'raw' ? await run(startRaw) : await run(startHub);
      (which === 'raw' ? raws : hubs).push(result);
      process.stdout.write(
        `round ${round} ${which.padEnd(3)}: ${fixed(result.throughput.deliveredPerSecond, 0)} msgs/s delivered; @${settings.rate}/s p50 ${fixed(result.latency.p50)} ms p99 ${fixed(result.latency.p99)} ms; disk sync p50 ${fixed(result.sync.p50, 2)} p99 ${fixed(result.sync.p99, 2)} ms${
          result.writes === undefined ? '' : `; ${fixed(result.writes.writesPerCommit)} writes/commit, transaction p99 ≤ ${result.writes.transaction.p99} ms, WAL sync p99 ≤ ${result.writes.sync.p99} ms`
        }\n`,
      );
    }
  }
  closeSender();
  await carrierApis.close();
  print(best(raws), best(hubs));
}

await main();
