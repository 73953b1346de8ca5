// H13: the hub verifies its audit chain by itself — the rows appended since the last check every minute, the whole
// chain at start and once a day — says so on /metrics and /healthz, and logs the chain head it verified, which the
// trust's shipped logs keep outside the database. A real hub on 127.0.0.1 over a real store (SQLite, and PostgreSQL
// when it is reachable), its audit rows written through the write queue as the hub writes them and then altered
// behind its back with plain SQL, as someone with the database would.
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { Hub, HubOptions } from '../hub';
import { createLogger } from '../observability/logger';
import { startHub, stopHub, tempDataDir } from '../testing/hub-harness';
import { freshDatabase, postgres } from '../testing/services';
import { appendAudit, verifyAuditChain } from './audit-log';

const pgService = await postgres();
const T0 = Date.UTC(2026, 5, 10, 9, 0);
const DAY = 24 * 3_600_000;

type LogLine = Record<string, unknown> & { msg?: string; component?: string; level?: number };

async function appendRows(hub: Hub, count: number): Promise<void> {
  // One row a write, as separate actions are: each commit carries the head on from the one before.
  for (let index = 0; index < count; index += 1) {
    await hub.store.writes.run((unit) => appendAudit(unit, { actorType: 'user', actorId: 'u-sam', action: 'case.acknowledged', caseId: `case-${index}`, detail: { n: index } }));
  }
}

async function head(hub: Hub): Promise<{ id: number; hash: string }> {
  return hub.store.db.selectFrom('audit').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
}

async function health(hub: Hub): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${hub.url}/healthz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function metric(hub: Hub, name: string): Promise<number> {
  const text = await (await fetch(`${hub.url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  if (line === undefined) throw new Error(`${name} is not on /metrics`);
  return Number(line.slice(name.length + 1));
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(['SQLite', 'PostgreSQL'] as const)('the audit chain watch (%s)', (storeName) => {
  const skip = storeName === 'PostgreSQL' && pgService.url === undefined;
  let hub: Hub | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  let lines: LogLine[];
  let clock: ManualClock;

  async function start(auditWatch: HubOptions['auditWatch']): Promise<Hub> {
    lines = [];
    clock = new ManualClock(T0);
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as LogLine);
        done();
      },
    });
    const database = storeName === 'PostgreSQL' ? await freshDatabase(pgService.url!) : undefined;
    dropDatabase = database?.drop;
    hub = await startHub({
      dataDir: tempDataDir(),
      ...(database === undefined ? {} : { databaseUrl: database.url }),
      clock,
      logger: createLogger('info', destination),
      escalationTimer: false,
      outbox: { autoStart: false },
      auditWatch,
    });
    return hub;
  }

  const auditLines = (msg: string) => lines.filter((line) => line.component === 'audit' && line.msg?.startsWith(msg) === true);

  afterEach(async () => {
    if (hub !== undefined) await stopHub(hub);
    hub = undefined;
    await dropDatabase?.();
    dropDatabase = undefined;
  });

  describe.skipIf(skip)('on a hub', () => {
    it('walks the chain at start, then checks every interval and once a day walks it all again, logging the head each time', async () => {
      const running = await start({ intervalMs: 40 });
      // The walk at start, in the background after listening: an empty chain is intact at the genesis.
      await until(() => auditLines('[audit] chain verified').length > 0, 'the walk at start');
      expect(auditLines('[audit] chain verified')[0]).toMatchObject({ level: 30, walk: 'full', head: { id: 0, hash: '0'.repeat(64) } });

      await appendRows(running, 7);
      const seven = await head(running);
      // Nothing here asks for a check: the watch's own timer finds the new rows and logs the new head.
      await until(() => auditLines('[audit] chain verified').some((line) => JSON.stringify(line.head) === JSON.stringify(seven)), 'the new head in the log');
      expect(auditLines('[audit] chain verified').find((line) => (line.head as { id: number }).id === 7)).toMatchObject({ walk: 'incremental', head: seven });
      expect(await metric(running, 'clarion_audit_chain_intact')).toBe(1);
      expect(await metric(running, 'clarion_audit_chain_verified_rows')).toBe(7);
      expect(await metric(running, 'clarion_audit_chain_last_verified_seconds')).toBe(0);
      expect(await health(running)).toMatchObject({ status: 200, body: { status: 'ok', auditChain: { state: 'intact', verifiedRows: 7, head: seven } } });

      // A day on the hub's clock: the next check is a full walk from the genesis.
      const fullWalks = auditLines('[audit] chain verified').filter((line) => line.walk === 'full').length;
      clock.advance(DAY);
      await until(() => auditLines('[audit] chain verified').filter((line) => line.walk === 'full').length > fullWalks, 'the daily full walk');
      expect(auditLines('[audit] chain verified').at(-1)).toMatchObject({ walk: 'full', head: seven });
      expect(auditLines('[audit] chain BROKEN')).toEqual([]);
    });

    it('finds a row edited after it was appended at the next incremental check; /healthz says degraded naming the row; one error logged', async () => {
      const running = await start({ intervalMs: 3_600_000 });
      await appendRows(running, 10);
      expect(await running.auditChain.full()).toMatchObject({ state: 'intact', verifiedRows: 10 });
      expect(await health(running)).toMatchObject({ status: 200, body: { status: 'ok', auditChain: { state: 'intact' } } });

      await appendRows(running, 3);
      await sql`update audit set actor_id = 'u-someone-else' where id = 12`.execute(running.store.db);
      const verdict = await running.auditChain.incremental();
      expect(verdict).toMatchObject({ state: 'broken', brokenAt: 12, reason: 'row content does not match its hash', verifiedRows: 11 });
      // The same row and reason as `clarion audit verify` gives.
      expect(await verifyAuditChain(running.store.db)).toMatchObject({ ok: false, brokenAt: 12, reason: 'row content does not match its hash' });

      expect(await health(running)).toMatchObject({
        status: 200,
        body: { status: 'degraded', timers: { overdue: 0 }, auditChain: { state: 'broken', brokenAt: 12, reason: 'row content does not match its hash' } },
      });
      expect(await metric(running, 'clarion_audit_chain_intact')).toBe(0);

      // Found again at every check, logged once.
      await running.auditChain.incremental();
      await running.auditChain.incremental();
      expect(auditLines('[audit] chain BROKEN')).toEqual([expect.objectContaining({ level: 50, brokenAt: 12, reason: 'row content does not match its hash', lastIntact: expect.objectContaining({ id: 11 }) as unknown })]);
    });

    it('finds an old row edited only by the full walk, not the incremental check', async () => {
      const running = await start({ intervalMs: 3_600_000 });
      await appendRows(running, 10);
      expect(await running.auditChain.full()).toMatchObject({ state: 'intact', verifiedRows: 10 });

      await sql`update audit set action = 'case.resolved' where id = 3`.execute(running.store.db);
      await appendRows(running, 2);
      // The incremental check reads only the rows from the last verified one on: row 3 is not among them.
      expect(await running.auditChain.incremental()).toMatchObject({ state: 'intact', verifiedRows: 12 });
      expect(await health(running)).toMatchObject({ body: { status: 'ok' } });

      expect(await running.auditChain.full()).toMatchObject({ state: 'broken', brokenAt: 3, reason: 'row content does not match its hash' });
      expect(await health(running)).toMatchObject({ status: 200, body: { status: 'degraded', auditChain: { state: 'broken', brokenAt: 3 } } });
      expect(await metric(running, 'clarion_audit_chain_intact')).toBe(0);
      expect(auditLines('[audit] chain BROKEN')).toEqual([expect.objectContaining({ walk: 'full', brokenAt: 3 })]);
    });

    it('finds the newest rows removed after they were verified, which leaves a chain valid on its own', async () => {
      const running = await start({ intervalMs: 3_600_000 });
      await appendRows(running, 10);
      expect(await running.auditChain.incremental()).toMatchObject({ state: 'intact', verifiedRows: 10 });

      await sql`delete from audit where id >= 9`.execute(running.store.db);
      expect(await verifyAuditChain(running.store.db)).toEqual({ ok: true, rows: 8 });
      expect(await running.auditChain.incremental()).toMatchObject({ state: 'broken', brokenAt: 10, reason: 'row 10 is missing: it was removed after it was verified' });
      expect(await running.auditChain.full()).toMatchObject({ state: 'broken', brokenAt: 9, reason: 'row 9 is missing: the chain ends at row 8, and was verified up to row 10' });
    });
  });
});
