import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, assert, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../clock';
import { removeDir, tempDataDir } from '../testing/hub-harness';
import type { CaseView } from '../../shared/domain';
import { appendAudit, verifyAuditChain } from './audit-log';
import { appendEvent } from './event-log';
import { openStore, SQLITE_FILE_NAME, type Store } from './open-store';
import { WriteQueue, type WriteObserver, type WriteUnit } from './write-queue';

const patient = (id: string) => ({ id, nhs_number: null, name: `Patient ${id}`, ward: null, created_at: 1 });

const caseView = (id: string): CaseView => ({
  id, ref: 1, line: '+447700900000', linePurpose: 'martha', queueId: 'q-martha', ward: null, status: 'open', priority: 1,
  category: 'martha_rule', assigneeId: null, contactId: 'contact-1', contactPhone: '+447700900001', contactName: null,
  channel: 'sms', patientId: null, version: 1, openedAt: 1, updatedAt: 1, lastMessageAt: 1, lastMessagePreview: '',
  acknowledgedAt: null, acknowledgedBy: null, resolvedAt: null, resolvedBy: null, outcome: null, ackDueAt: null,
  respondDueAt: null, resolveDueAt: null,
});

/** One event and one audit row for the case, as every change to a case writes. */
async function change(unit: WriteUnit, caseId: string): Promise<number> {
  const event = await appendEvent(unit, { type: 'case.triaged', actorId: null, case: caseView(caseId) });
  await appendAudit(unit, { actorType: 'system', actorId: null, action: 'test.change', caseId, detail: { seq: event.seq } });
  return event.seq;
}

describe('group commit', () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = tempDataDir();
    store = await openStore({ kind: 'sqlite', dataDir: dir }, systemClock);
  });
  afterEach(async () => {
    await store.close();
    removeDir(dir);
  });

  it('commits writes issued together, and rolls back only the one that failed', async () => {
    const results = await Promise.allSettled([
      store.writes.run(async ({ trx }) => trx.insertInto('patients').values(patient('a')).execute()),
      store.writes.run(async ({ trx }) => {
        await trx.insertInto('patients').values(patient('b')).execute();
        throw new Error('this one fails after writing');
      }),
      store.writes.run(async ({ trx }) => trx.insertInto('patients').values(patient('c')).execute()),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const stored = await store.db.selectFrom('patients').select('id').orderBy('id').execute();
    expect(stored.map((row) => row.id)).toEqual(['a', 'c']);
  });

  it('carries the event seq and audit head through a batch, and a rolled-back item gives its numbers back', async () => {
    // Something already stored, so the heads are read from the database, not started at zero.
    expect(await store.writes.run((unit) => change(unit, 'case-0'))).toBe(1);
    const results = await Promise.allSettled([
      store.writes.run((unit) => change(unit, 'case-a')),
      store.writes.run(async (unit) => {
        await change(unit, 'case-b');
        await change(unit, 'case-b');
        throw new Error('this one fails after appending');
      }),
      store.writes.run((unit) => change(unit, 'case-c')),
      store.writes.run(async (unit) => {
        // Reads the heads for the first time in this transaction, then fails: the restore must forget them too.
        await change(unit, 'case-d');
        throw new Error('this one fails too');
      }),
      store.writes.run((unit) => change(unit, 'case-e')),
    ]);
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value : 'rejected'))).toEqual([2, 'rejected', 3, 'rejected', 4]);
    const events = await store.db.selectFrom('events').select(['seq', 'case_id']).orderBy('seq').execute();
    expect(events).toEqual([
      { seq: 1, case_id: 'case-0' },
      { seq: 2, case_id: 'case-a' },
      { seq: 3, case_id: 'case-c' },
      { seq: 4, case_id: 'case-e' },
    ]);
    expect(await verifyAuditChain(store.db)).toEqual({ ok: true, rows: 4 });
    // The next transaction starts from what was committed.
    expect(await store.writes.run((unit) => change(unit, 'case-f'))).toBe(5);
    expect(await verifyAuditChain(store.db)).toEqual({ ok: true, rows: 5 });
  });

  it('answers nobody before the commit: a write that cannot commit is rejected and leaves nothing', async () => {
    // Another connection holds the write lock past the busy timeout, as a stuck disk or a rogue process would.
    const blocker = new Database(join(dir, SQLITE_FILE_NAME));
    blocker.pragma('busy_timeout = 0');
    blocker.exec('begin immediate');
    await sql`pragma busy_timeout = 50`.execute(store.db);
    await expect(store.writes.run(async ({ trx }) => trx.insertInto('patients').values(patient('x')).execute())).rejects.toThrow(/locked|busy/i);
    blocker.exec('rollback');
    blocker.close();
    expect(await store.db.selectFrom('patients').selectAll().execute()).toEqual([]);
  });

  it('answers nobody and streams no event until the commit is durable (the WAL sync on the thread pool, chosen while other writes wait), and a failed sync fails the writes (the carrier is told 5xx and retries)', async () => {
    let release: () => void = () => {};
    const syncs: string[] = [];
    const queue = new WriteQueue(store.db, 'sqlite', systemClock, {
      durable: {
        now: () => syncs.push('now'),
        offLoop: () => {
          syncs.push('offLoop');
          return new Promise<void>((resolve) => (release = resolve));
        },
      },
    });
    const streamed: number[] = [];
    queue.onCommit((events) => streamed.push(...events.map(({ event }) => event.seq)));
    let answered = false;
    let second: Promise<number> | undefined;
    const write = queue
      .run(async (unit) => {
        // Another write arrives while this transaction runs, as webhooks do on a busy hub.
        second = queue.run((next) => change(next, 'case-2'));
        return change(unit, 'case-1');
      })
      .then(() => (answered = true));
    await vi.waitFor(() => expect(syncs).toEqual(['offLoop']));
    // Committed but not yet synced: nobody is answered, no event leaves, and a reader waits rather than see what a
    // power cut could undo.
    let seen: string[] | undefined;
    const read = store.db.selectFrom('events').select('case_id').execute().then((rows) => (seen = rows.map((row) => row.case_id)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    expect(streamed).toEqual([]);
    expect(seen).toBeUndefined();
    release();
    await Promise.all([write, read]);
    expect(answered).toBe(true);
    expect(seen).toEqual(['case-1']);
    // The second write had nobody behind it: its sync ran on the event loop.
    expect(await second).toBe(2);
    expect(syncs).toEqual(['offLoop', 'now']);
    expect(streamed).toEqual([1, 2]);

    const eio = () => new Error('EIO: fdatasync failed');
    const failing = new WriteQueue(store.db, 'sqlite', systemClock, {
      durable: {
        now: () => {
          throw eio();
        },
        offLoop: async () => Promise.reject(eio()),
      },
    });
    let behind: Promise<unknown> | undefined;
    const failed = failing.run(async ({ trx }) => {
      behind = failing.run(async (next) => next.trx.insertInto('patients').values(patient('e2')).execute());
      return trx.insertInto('patients').values(patient('e')).execute();
    });
    await expect(failed).rejects.toThrow(/fdatasync/);
    await expect(behind).rejects.toThrow(/fdatasync/);
  });

  it('syncs on the event loop when nobody else is waiting: nobody is answered and no event leaves before the sync, and a failed sync fails the writes', async () => {
    const order: string[] = [];
    const queue = new WriteQueue(store.db, 'sqlite', systemClock, {
      durable: {
        now: () => {
          order.push('sync');
        },
        offLoop: () => assert.fail('nothing was waiting: the sync should run on the event loop'),
      },
    });
    queue.onCommit(() => order.push('events out'));
    await queue.run((unit) => change(unit, 'case-1')).then(() => order.push('answered'));
    expect(order).toEqual(['sync', 'events out', 'answered']);

    const failing = new WriteQueue(store.db, 'sqlite', systemClock, {
      durable: {
        now: () => {
          throw new Error('EIO: fdatasync failed');
        },
        offLoop: () => assert.fail('not this way'),
      },
    });
    const streamed: unknown[] = [];
    failing.onCommit((events) => streamed.push(...events));
    await expect(failing.run((unit) => change(unit, 'case-2'))).rejects.toThrow(/fdatasync/);
    expect(streamed).toEqual([]);
  });

  it('reports each batch, its sync and every write’s wait to its observer (for /metrics); no sync where COMMIT is durable itself', async () => {
    const seen = { transactions: [] as number[], syncs: [] as number[], writes: [] as number[] };
    const observer: WriteObserver = {
      transaction: (_seconds, writes) => seen.transactions.push(writes),
      sync: (seconds) => seen.syncs.push(seconds),
      write: (seconds) => seen.writes.push(seconds),
    };
    // A 30 ms sync on the event loop: the thread sleeps, as it does in fdatasync.
    const slowSync = new WriteQueue(store.db, 'sqlite', systemClock, { durable: { now: () => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30), offLoop: () => assert.fail('nothing was waiting') } });
    slowSync.observe(observer);
    await Promise.all(['g', 'h', 'i'].map((id) => slowSync.run(async ({ trx }) => trx.insertInto('patients').values(patient(id)).execute())));
    // Issued together, so one batch of three, one sync — and each of the three waited at least for that sync.
    expect(seen.transactions).toEqual([3]);
    expect(seen.syncs).toHaveLength(1);
    expect(seen.syncs[0]).toBeGreaterThanOrEqual(0.025);
    expect(seen.writes).toHaveLength(3);
    for (const wait of seen.writes) expect(wait).toBeGreaterThanOrEqual(seen.syncs[0]!);

    const syncedByCommit = new WriteQueue(store.db, 'sqlite', systemClock);
    syncedByCommit.observe(observer);
    await syncedByCommit.run(async ({ trx }) => trx.insertInto('patients').values(patient('j')).execute());
    expect(seen.transactions).toEqual([3, 1]);
    expect(seen.syncs).toHaveLength(1);
    expect(seen.writes).toHaveLength(4);
  });

  it('opens SQLite at synchronous=NORMAL, the WAL synced by the store after each commit instead', async () => {
    const [mode] = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db).then((result) => result.rows);
    // 1 = NORMAL: COMMIT itself does not fsync; the store's durable() does, before answering (see open-store.ts).
    expect(mode?.synchronous).toBe(1);
    await store.writes.run(async ({ trx }) => trx.insertInto('patients').values(patient('f')).execute());
    expect(existsSync(join(dir, `${SQLITE_FILE_NAME}-wal`))).toBe(true);
  });
});

