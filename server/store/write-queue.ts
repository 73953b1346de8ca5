// Group commit: every write in the hub goes through here. Writes that arrive while a transaction is open wait and
// share the next one, each inside its own savepoint, so one commit (one fsync with synchronous=FULL) makes a whole
// batch durable. Nobody is answered before the commit that holds their write; a failed item rolls back alone.
import { performance } from 'node:perf_hooks';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DeskEvent } from '../../shared/protocol';
import type { Clock } from '../clock';
import type { StoreDialect } from './dialect';
import type { Database } from './schema';

/** What one write sees: its transaction, the time it happens at, and where to put the events it creates. */
export interface WriteUnit {
  readonly trx: Transaction<Database>;
  /** The store's dialect, which compiles prepared queries (prepared-query.ts). */
  readonly dialect: StoreDialect;
  readonly now: number;
  /** Events become visible to desks only after the commit that stores them. */
  emit(event: CommittedEvent): void;
  /** The event log's and audit chain's heads as this transaction sees them (see LogHeads). */
  readonly heads: LogHeads;
}

/**
 * The last event seq and the audit chain's last id and hash, read once per transaction and advanced by each append,
 * so a batch does not re-read `max(seq)` and the chain head for every event and audit row. Exact because appends are
 * serialised: SQLite has one writer, and on PostgreSQL the heads are first read after `pg_advisory_xact_lock`, inside
 * the transaction. `undefined` means not read yet in this transaction. Only event-log.ts and audit-log.ts use it, and
 * they advance it only after their insert succeeded; the queue snapshots it before each savepoint and restores it when
 * the savepoint rolls back, so a failed item's appends leave no gap.
 */
export class LogHeads {
  seq: number | undefined;
  audit: { id: number; hash: string } | undefined;

  snapshot(): LogHeadsSnapshot {
    return { seq: this.seq, audit: this.audit };
  }

  restore(snapshot: LogHeadsSnapshot): void {
    this.seq = snapshot.seq;
    this.audit = snapshot.audit;
  }
}

export interface LogHeadsSnapshot {
  readonly seq: number | undefined;
  readonly audit: { id: number; hash: string } | undefined;
}

export interface CommittedEvent {
  event: DeskEvent;
  /** The queue the case left, when the change moved it: desks watching that queue must hear of it too. */
  prevQueueId: string | null;
}

type Work<T> = (unit: WriteUnit) => Promise<T>;

interface Pending {
  work: Work<unknown>;
  /** performance.now() when it was queued. */
  queuedAt: number;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown; events: CommittedEvent[] } | { ok: false; error: unknown };

/** Any PostgreSQL advisory lock key will do, as long as every hub uses the same one. */
const EVENT_APPEND_LOCK = 4_610_001;

/**
 * Where a commit's time goes, for /metrics: what an IT team needs to tell a slow disk (sync) from a busy hub
 * (transaction, or waiting for the batch ahead). All in seconds.
 */
export interface WriteObserver {
  /** One batch's transaction, begin to commit: the event loop is busy for all of it on SQLite. */
  transaction(seconds: number, writes: number): void;
  /** Making that commit durable where COMMIT does not (the WAL sync on SQLite), on or off the event loop (Durability). */
  sync(seconds: number): void;
  /** One write, from being queued to its commit being durable: what a carrier or desk waits for. */
  write(seconds: number): void;
}

/**
 * Makes a commit durable where COMMIT does not (SQLite at synchronous=NORMAL: an fdatasync of the WAL), in one of two
 * ways. Which one is the quicker depends on whether anyone else is waiting (WriteQueue.runDurably).
 */
export interface Durability {
  /**
   * The sync on the calling thread. The commit's writers are answered as soon as the disk is done, without a hand-off to
   * a thread of libuv's pool and back, each of which is a thread to wake on a busy machine (docs/architecture.md).
   */
  now(): void;
  /** The sync on libuv's thread pool: the event loop stays free meanwhile, to take in the writes that will share the next commit. */
  offLoop(): Promise<void>;
}

export interface WriteQueueOptions {
  /** Largest batch sharing one commit. @default 256 */
  maxBatch?: number;
  /** Called after each commit with the events it stored, in sequence order. */
  afterCommit?: (events: CommittedEvent[]) => void;
  /**
   * Makes a commit durable when the database does not do it inside COMMIT (SQLite: fdatasync of the WAL). Done after
   * every commit, before anyone is answered and before any event leaves.
   */
  durable?: Durability;
}

export class WriteQueue {
  private readonly pending: Pending[] = [];
  private draining = false;
  private readonly maxBatch: number;
  private afterCommit: (events: CommittedEvent[]) => void;
  private readonly durable: Durability | undefined;
  private observer: WriteObserver | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: StoreDialect,
    private readonly clock: Clock,
    options: WriteQueueOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 256;
    this.afterCommit = options.afterCommit ?? (() => {});
    this.durable = options.durable;
  }

  onCommit(listener: (events: CommittedEvent[]) => void): void {
    this.afterCommit = listener;
  }

  observe(observer: WriteObserver): void {
    this.observer = observer;
  }

  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, queuedAt: performance.now(), resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Resolves once everything queued so far is committed (used by shutdown). */
  async idle(): Promise<void> {
    while (this.draining || this.pending.length > 0) await new Promise((resolve) => setImmediate(resolve));
  }

  private schedule(): void {
    if (this.draining) return;
    this.draining = true;
    // setImmediate lets writes that arrive in the same turn of the event loop join this batch.
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) await this.commitBatch(this.pending.splice(0, this.maxBatch));
    } finally {
      this.draining = false;
      if (this.pending.length > 0) this.schedule();
    }
  }

  private async commitBatch(batch: Pending[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await this.runDurably(batch);
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    const events = outcomes.flatMap((outcome) => (outcome.ok ? outcome.events : []));
    if (events.length > 0) this.afterCommit(events);
    if (this.observer !== undefined) {
      const now = performance.now();
      for (const item of batch) this.observer.write((now - item.queuedAt) / 1000);
    }
    outcomes.forEach((outcome, index) => {
      const item = batch[index]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  /**
   * The batch's transaction and then the sync, on one reserved connection: no reader (on SQLite every query shares
   * that connection) can see the commit before it is durable, as with synchronous=FULL.
   *
   * Where the sync runs depends on whether writes arrived while the transaction ran. If none did, it runs right here on
   * the event loop: nothing else is waiting for the database, and the writers are answered as soon as the disk is done.
   * If some did (a busy hub), it runs on the thread pool, so that the event loop can take in those writes and more —
   * their HTTP, signatures, validation — while the disk works; they all share the next commit. Always on the pool, as
   * before, every quiet commit paid a hand-off to a pool thread and back: two more threads to wake, which on a busy
   * machine is what made the slowest syncs slow (docs/architecture.md has the figures).
   */
  private async runDurably(batch: Pending[]): Promise<Outcome[]> {
    return this.db.connection().execute(async (connection) => {
      const started = performance.now();
      const outcomes = await this.runInTransaction(connection, batch);
      const committed = performance.now();
      this.observer?.transaction((committed - started) / 1000, batch.length);
      if (this.durable !== undefined && outcomes.some((outcome) => outcome.ok)) {
        if (this.pending.length === 0) this.durable.now();
        else await this.durable.offLoop();
        this.observer?.sync((performance.now() - committed) / 1000);
      }
      return outcomes;
    });
  }

  private async runInTransaction(db: Kysely<Database>, batch: Pending[]): Promise<Outcome[]> {
    const trx = await db.startTransaction().execute();
    const outcomes: Outcome[] = [];
    try {
      // Sequence numbers are max(seq)+1: gap-free only if appends are serialised. SQLite has one writer anyway;
      // on PostgreSQL every hub takes the same transaction-level lock, released by the commit.
      if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${EVENT_APPEND_LOCK})`.execute(trx);
      const now = this.clock.now();
      // One per transaction: a new transaction (on PostgreSQL, possibly after another hub's commit) reads afresh.
      const heads = new LogHeads();
      if (batch.length === 1) {
        // A batch of one needs no savepoint: its failure is the transaction's failure.
        outcomes.push(await this.runOne(batch[0]!, trx, now, heads));
        if (!outcomes[0]!.ok) {
          await trx.rollback().execute();
          return outcomes;
        }
      } else {
        for (const item of batch) {
          const savepoint = await trx.savepoint('item').execute();
          const before = heads.snapshot();
          const outcome = await this.runOne(item, savepoint, now, heads);
          if (outcome.ok) await savepoint.releaseSavepoint('item').execute();
          else {
            await savepoint.rollbackToSavepoint('item').execute();
            // The rolled-back item's events and audit rows are gone: the next append must reuse their numbers.
            heads.restore(before);
          }
          outcomes.push(outcome);
        }
      }
      await trx.commit().execute();
      return outcomes;
    } catch (error) {
      await trx.rollback().execute().catch(() => {});
      throw error;
    }
  }

  private async runOne(item: Pending, trx: Transaction<Database>, now: number, heads: LogHeads): Promise<Outcome> {
    const events: CommittedEvent[] = [];
    try {
      const value = await item.work({ trx, dialect: this.dialect, now, heads, emit: (event) => events.push(event) });
      return { ok: true, value, events };
    } catch (error) {
      return { ok: false, error };
    }
  }
}
