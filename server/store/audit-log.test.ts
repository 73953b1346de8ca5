// H13: the audit chain shows an edited, removed or inserted row — also one re-hashed to hide the edit, and one past the
// first page of the walk — and `clarion audit verify` exits 1 and says where. A real SQLite store, written through the
// write queue as the hub writes it, then altered behind the hub's back with plain SQL, as someone with the file would.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { runClarion } from '../testing/hub-process';
import { useMigratedStore } from '../testing/sqlite-plan';
import { appendAudit, auditRowHash, verifyAuditChain } from './audit-log';
import type { Store } from './open-store';

const ROWS = 10;

async function writeChain(store: Store): Promise<void> {
  // One row a write: each commit carries the head on from the one before, as separate actions over a day do.
  for (let index = 1; index <= ROWS; index += 1) {
    await store.writes.run((unit) => appendAudit(unit, { actorType: 'user', actorId: 'u-sam', action: 'case.acknowledged', caseId: `case-${index}`, detail: { n: index } }));
  }
}

describe('the audit chain', () => {
  const migrated = useMigratedStore();

  it('verifies when nothing was touched, over pages smaller than the chain too', async () => {
    await writeChain(migrated.store);
    expect(await verifyAuditChain(migrated.store.db)).toEqual({ ok: true, rows: ROWS });
    expect(await verifyAuditChain(migrated.store.db, 3)).toEqual({ ok: true, rows: ROWS });
  });

  it('shows an edited row', async () => {
    await writeChain(migrated.store);
    await sql`update audit set actor_id = 'u-someone-else' where id = 4`.execute(migrated.store.db);
    expect(await verifyAuditChain(migrated.store.db)).toEqual({ ok: false, rows: 3, brokenAt: 4, reason: 'row content does not match its hash' });
  });

  it('shows an edited row re-hashed to match: the next row no longer links to it', async () => {
    await writeChain(migrated.store);
    const row = await migrated.store.db.selectFrom('audit').selectAll().where('id', '=', 4).executeTakeFirstOrThrow();
    // Whoever edits it can re-hash it: the hash is no secret. The row then checks out on its own.
    const detail = JSON.stringify({ n: 40 });
    await migrated.store.db.updateTable('audit').set({ detail, hash: auditRowHash({ ...row, detail }) }).where('id', '=', 4).execute();
    expect(await verifyAuditChain(migrated.store.db)).toEqual({ ok: false, rows: 4, brokenAt: 5, reason: 'chain link does not match the previous row' });
  });

  it('shows a removed row, in a later page of the walk', async () => {
    await writeChain(migrated.store);
    await sql`delete from audit where id = 8`.execute(migrated.store.db);
    expect(await verifyAuditChain(migrated.store.db, 3)).toEqual({ ok: false, rows: 7, brokenAt: 8, reason: 'row 8 is missing' });
  });

  it('shows a row inserted in the middle, the rows after it renumbered to make room', async () => {
    await writeChain(migrated.store);
    // Renumbered from the end so the primary key never collides, then a forged row 6 linked to row 5's hash.
    for (let id = ROWS; id >= 6; id -= 1) await sql`update audit set id = ${id + 1} where id = ${id}`.execute(migrated.store.db);
    const five = await migrated.store.db.selectFrom('audit').select('hash').where('id', '=', 5).executeTakeFirstOrThrow();
    await sql`insert into audit (id, at, actor_type, actor_id, action, case_id, detail, prev_hash, hash)
      values (6, 1, 'user', 'u-sam', 'case.resolved', 'case-6', '{}', ${five.hash}, ${'f'.repeat(64)})`.execute(migrated.store.db);
    const verdict = await verifyAuditChain(migrated.store.db);
    expect(verdict).toMatchObject({ ok: false, rows: 5, brokenAt: 6 });
  });

  it('makes `clarion audit verify` exit 1 and name the row', async () => {
    await writeChain(migrated.store);
    await sql`update audit set action = 'case.resolved' where id = 2`.execute(migrated.store.db);
    const verified = await runClarion(['audit', 'verify', '--data', migrated.dataDir], '');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain('audit chain BROKEN at row 2: row content does not match its hash (1 rows verified before it)');
  });
});
