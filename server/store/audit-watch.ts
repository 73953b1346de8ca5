// H13: the hub verifies its own audit chain on a schedule, so an edited or removed row is noticed by monitoring rather
// than by whoever next runs `clarion audit verify` by hand. Two walks, never at once:
// - incremental, every minute: from the last row already verified, re-reading that row (so removing the newest rows,
//   or editing and re-hashing the head, shows) and then the rows appended since. A few rows a minute: cheap.
// - full, at start-up (in the background, after the hub is listening) and then once a day by the hub's clock: from the
//   genesis, in small pages with a yield between them, since on SQLite each page's read runs on the event loop.
// Each verification logs the head `{ id, hash }` at info level: the trust ships the hub's logs off the machine, and the
// heads kept there are the chain's anchor outside the database (docs/clinical-safety.md H13).
// Several hubs on one PostgreSQL store each run their own watch over the one chain; they read and never write, so the
// only cost is the reads, and each hub's /healthz and /metrics tell the same truth.
import type { Kysely } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../clock';
import type { Logger } from '../observability/logger';
import { auditLinkProblem, auditRowHash } from './audit-log';
import type { Database } from './schema';

/** A row of the chain as later rows link to it. */
export interface ChainPoint {
  id: number;
  hash: string;
}

const GENESIS: ChainPoint = { id: 0, hash: '0'.repeat(64) };

/**
 * Rows per page of a walk. Measured on SQLite (50,000 `case.viewed`-sized rows, a warm file, a 2-core VM): reading and
 * hashing a page of 500 takes 2.0 ms (p50; p99 2.5, max 3.1), about 4 µs a row whatever the page size, so a full walk
 * holds the event loop (and SQLite's one connection) for a few ms at a time, and a million rows take about 4 s in all.
 * Writes and sockets waiting meanwhile run between pages.
 */
export const AUDIT_WATCH_PAGE_ROWS = 500;

export interface AuditWatchOptions {
  /** Real time between incremental checks. @default 60_000 */
  intervalMs?: number;
  /** Time on the hub's clock between full walks. @default one day */
  fullIntervalMs?: number;
  /** @default AUDIT_WATCH_PAGE_ROWS */
  pageRows?: number;
}

export interface ChainBreak {
  brokenAt: number;
  reason: string;
}

type WalkResult = ({ ok: true } | ({ ok: false } & ChainBreak)) & { head: ChainPoint };

export type AuditChainState =
  | { state: 'pending'; verifiedRows: 0; lastVerifiedSeconds: number }
  | { state: 'intact'; verifiedRows: number; head: ChainPoint; lastVerifiedSeconds: number }
  | ({ state: 'broken'; verifiedRows: number; lastVerifiedSeconds: number } & ChainBreak);

/**
 * Walks the chain after `from` (a row already verified, or the genesis) and, past `from`, to the end. `from` is read
 * again first: it must still be there with the hash it was verified with. `known` is the newest row verified before;
 * reaching the end below it, or passing it with another hash, means rows were removed or re-hashed since.
 * Each row gets the checks of `verifyAuditChain` (`auditLinkProblem`, audit-log.ts).
 */
async function walkChain(db: Kysely<Database>, from: ChainPoint, known: ChainPoint, pageRows: number, between: () => Promise<void>): Promise<WalkResult> {
  let head = from;
  const broken = (brokenAt: number, reason: string): WalkResult => ({ ok: false, brokenAt, reason, head });
  if (from.id > 0) {
    const row = await db.selectFrom('audit').selectAll().where('id', '=', from.id).executeTakeFirst();
    if (row === undefined) return broken(from.id, `row ${from.id} is missing: it was removed after it was verified`);
    if (row.hash !== from.hash || auditRowHash(row) !== row.hash) return broken(from.id, `row ${from.id} was changed after it was verified`);
  }
  for (;;) {
    const page = await db.selectFrom('audit').selectAll().where('id', '>', head.id).orderBy('id').limit(pageRows).execute();
    for (const row of page) {
      const problem = auditLinkProblem(row, head.id, head.hash);
      if (problem !== null) return broken(problem.brokenAt, problem.reason);
      if (row.id === known.id && row.hash !== known.hash) return broken(row.id, `row ${row.id} was changed after it was verified`);
      head = { id: row.id, hash: row.hash };
    }
    if (page.length < pageRows) break;
    await between();
  }
  if (head.id < known.id) return broken(head.id + 1, `row ${head.id + 1} is missing: the chain ends at row ${head.id}, and was verified up to row ${known.id}`);
  return { ok: true, head };
}

/** Lets timers, sockets and queued writes run between two pages of a walk. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A walk left between two pages because the hub is closing: a long walk must not hold the store open. */
class WalkStopped extends Error {}

export class AuditChainWatch {
  private readonly intervalMs: number;
  private readonly fullIntervalMs: number;
  private readonly pageRows: number;
  /** The newest row verified, in order from the genesis: where the next incremental check starts. */
  private verified: ChainPoint | undefined;
  /** A break found by each kind of walk; an incremental check that passes clears only its own. */
  private breaks: { incremental?: ChainBreak; full?: ChainBreak } = {};
  /** Breaks already logged as errors, so a break is logged once rather than at every check that finds it again. */
  private readonly logged = new Set<string>();
  private startedAt: number;
  private lastVerifiedAt: number | undefined;
  private lastFullAt: number | undefined;
  /** Every walk runs after the one before it: never two at once. */
  private tail: Promise<unknown> = Promise.resolve();
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly log: Logger,
    options: AuditWatchOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 60_000;
    this.fullIntervalMs = options.fullIntervalMs ?? 24 * 3_600_000;
    this.pageRows = options.pageRows ?? AUDIT_WATCH_PAGE_ROWS;
    this.startedAt = clock.now();
  }

  /** A full walk now, in the background, then a check every interval: a full walk once one is due, else incremental. */
  start(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.startedAt = this.clock.now();
    void this.full().catch(() => {});
    const tick = (): void => {
      // A walk still running (a long full walk) makes this tick's check unnecessary, not late: it is skipped.
      const due = this.running ? Promise.resolve() : this.lastFullAt === undefined || this.clock.now() - this.lastFullAt >= this.fullIntervalMs ? this.full() : this.incremental();
      void due
        .catch(() => {})
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs).unref();
        });
    };
    this.timer = setTimeout(tick, this.intervalMs).unref();
  }

  /** Stops the schedule, after the walk in progress (if any) has finished, so the store can be closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.tail.catch(() => {});
  }

  /** The rows appended since the last verified row; before any full walk has passed, a full walk. */
  incremental(): Promise<AuditChainState> {
    return this.serial(async () => {
      const from = this.verified;
      if (from === undefined) return this.runFull();
      this.record('incremental', await walkChain(this.db, from, from, this.pageRows, this.between));
      return this.state();
    });
  }

  /** The whole chain from the genesis. */
  full(): Promise<AuditChainState> {
    return this.serial(() => this.runFull());
  }

  state(): AuditChainState {
    const now = this.clock.now();
    const lastVerifiedSeconds = Math.max(0, Math.round((now - (this.lastVerifiedAt ?? this.startedAt)) / 1000));
    const found = [this.breaks.incremental, this.breaks.full].filter((entry) => entry !== undefined).sort((a, b) => a.brokenAt - b.brokenAt)[0];
    const verifiedRows = this.verified?.id ?? 0;
    if (found !== undefined) return { state: 'broken', verifiedRows, lastVerifiedSeconds, ...found };
    if (this.verified === undefined) return { state: 'pending', verifiedRows: 0, lastVerifiedSeconds };
    return { state: 'intact', verifiedRows, head: this.verified, lastVerifiedSeconds };
  }

  private async runFull(): Promise<AuditChainState> {
    this.lastFullAt = this.clock.now();
    this.record('full', await walkChain(this.db, GENESIS, this.verified ?? GENESIS, this.pageRows, this.between));
    return this.state();
  }

  private readonly between = async (): Promise<void> => {
    await yieldToEventLoop();
    if (this.stopped) throw new WalkStopped();
  };

  private serial(walk: () => Promise<AuditChainState>): Promise<AuditChainState> {
    const run = this.tail.then(async () => {
      this.running = true;
      try {
        return await walk();
      } catch (error) {
        if (error instanceof WalkStopped) return this.state();
        this.log.error({ err: error }, '[audit] chain check failed');
        throw error;
      } finally {
        this.running = false;
      }
    });
    this.tail = run.catch(() => {});
    return run;
  }

  private record(walk: 'incremental' | 'full', result: WalkResult): void {
    this.lastVerifiedAt = this.clock.now();
    if (result.ok) {
      // A full walk covers what an incremental check covers, so it clears both; an incremental one only its own.
      if (walk === 'full') this.breaks = {};
      else delete this.breaks.incremental;
      if (this.breaks.full === undefined) this.logged.clear();
      this.verified = result.head;
      // The anchor outside the database: shipped with the hub's logs, this line is a copy of the head as verified.
      this.log.info({ walk, head: { id: result.head.id, hash: result.head.hash } }, '[audit] chain verified');
      return;
    }
    const found = { brokenAt: result.brokenAt, reason: result.reason };
    this.breaks[walk] = found;
    // The rows before the break still count as verified, and the incremental checks go on from there: each finds the
    // break again (one page at most) and clears it if the row is put back, without a full walk every minute. A full
    // walk broken at an old row leaves the newer rows it had verified as they were.
    if (this.verified === undefined || result.head.id > this.verified.id) this.verified = result.head;
    const key = `${found.brokenAt}:${found.reason}`;
    if (this.logged.has(key)) return;
    this.logged.add(key);
    this.log.error({ walk, brokenAt: found.brokenAt, reason: found.reason, lastIntact: { id: result.head.id, hash: result.head.hash } }, `[audit] chain BROKEN at row ${found.brokenAt}: ${found.reason}`);
  }
}

/** The watch's verdict on /metrics, as it stands (no walk at scrape). */
export function registerAuditChainMetrics(registry: Registry, watch: AuditChainWatch): void {
  new Gauge({
    name: 'clarion_audit_chain_intact',
    help: "0 once this hub's audit chain watch has found a row missing, edited or re-linked; 1 otherwise",
    registers: [registry],
    collect() {
      this.set(watch.state().state === 'broken' ? 0 : 1);
    },
  });
  new Gauge({
    name: 'clarion_audit_chain_verified_rows',
    help: 'Audit rows verified in order from the genesis: the id of the chain head last verified (and logged)',
    registers: [registry],
    collect() {
      this.set(watch.state().verifiedRows);
    },
  });
  new Gauge({
    name: 'clarion_audit_chain_last_verified_seconds',
    help: 'Seconds since the audit chain watch last finished a check (since the hub started, before the first)',
    registers: [registry],
    collect() {
      this.set(watch.state().lastVerifiedSeconds);
    },
  });
}
