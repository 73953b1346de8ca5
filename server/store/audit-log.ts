// Every action is audited, in the same transaction as the action. Rows form a hash chain (each hash covers the row
// and the previous hash), so `clarion audit verify` can show that no row was edited, removed or inserted afterwards.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { prepareInsert, prepareQuery } from './prepared-query';
import type { Database } from './schema';
import type { WriteUnit } from './write-queue';

export type ActorType = 'user' | 'system' | 'carrier';

export interface AuditEntry {
  actorType: ActorType;
  actorId: string | null;
  action: string;
  caseId: string | null;
  detail: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);

/** The chain's definition: what a row's hash covers. */
export function auditRowHash(row: { id: number; at: number; actor_type: string; actor_id: string | null; action: string; case_id: string | null; detail: string; prev_hash: string }): string {
  // A fixed field order, so the same row always hashes the same on every hub and database.
  const canonical = JSON.stringify([row.id, row.at, row.actor_type, row.actor_id, row.action, row.case_id, row.detail, row.prev_hash]);
  return createHash('sha256').update(canonical).digest('hex');
}

const chainHead = prepareQuery((db) => db.selectFrom('audit').select(['id', 'hash']).orderBy('id', 'desc').limit(1));
const insertAudit = prepareInsert('audit', ['id', 'at', 'actor_type', 'actor_id', 'action', 'case_id', 'detail', 'prev_hash', 'hash']);

export async function appendAudit(unit: WriteUnit, entry: AuditEntry): Promise<void> {
  // The chain head is read once per transaction, then carried in unit.heads (see LogHeads in write-queue.ts).
  const last = unit.heads.audit ?? (await chainHead.first(unit, {}));
  const row = {
    id: (last?.id ?? 0) + 1,
    at: unit.now,
    actor_type: entry.actorType,
    actor_id: entry.actorId,
    action: entry.action,
    case_id: entry.caseId,
    detail: JSON.stringify(entry.detail),
    prev_hash: last?.hash ?? GENESIS,
  };
  const hash = auditRowHash(row);
  await insertAudit.execute(unit, { ...row, hash });
  // Only after the insert succeeded: a failed insert that the caller catches must not break the chain.
  unit.heads.audit = { id: row.id, hash };
}

/**
 * What is wrong with `row` as the chain's next row after (`previousId`, `previousHash`), or null when nothing is: the
 * checks `clarion audit verify` and the hub's watch (audit-watch.ts) both make, in this order, with these reasons.
 */
export function auditLinkProblem(row: Parameters<typeof auditRowHash>[0] & { hash: string }, previousId: number, previousHash: string): { brokenAt: number; reason: string } | null {
  if (row.id !== previousId + 1) return { brokenAt: previousId + 1, reason: `row ${previousId + 1} is missing` };
  if (row.prev_hash !== previousHash) return { brokenAt: row.id, reason: 'chain link does not match the previous row' };
  if (auditRowHash(row) !== row.hash) return { brokenAt: row.id, reason: 'row content does not match its hash' };
  return null;
}

export type AuditVerdict = { ok: true; rows: number } | { ok: false; rows: number; brokenAt: number; reason: string };

/** Walks the chain in pages so a large audit log verifies in constant memory. */
export async function verifyAuditChain(db: Kysely<Database>, pageSize = 5000): Promise<AuditVerdict> {
  let previousHash = GENESIS;
  let expectedId = 1;
  let rows = 0;
  for (;;) {
    const page = await db.selectFrom('audit').selectAll().where('id', '>=', expectedId).orderBy('id').limit(pageSize).execute();
    for (const row of page) {
      const problem = auditLinkProblem(row, expectedId - 1, previousHash);
      if (problem !== null) return { ok: false, rows, ...problem };
      previousHash = row.hash;
      expectedId += 1;
      rows += 1;
    }
    if (page.length < pageSize) return { ok: true, rows };
  }
}

/**
 * What happened to a case, for its timeline. Reads of it (`case.viewed`, read-audit.ts) are left out: they are for
 * whoever investigates who saw the record, not for every desk that opens the case, and each opening would add one.
 */
export async function caseAuditTrail(db: Kysely<Database>, caseId: string) {
  return db
    .selectFrom('audit')
    .select(['id', 'at', 'actor_type', 'actor_id', 'action', 'detail'])
    .where('case_id', '=', caseId)
    .where('action', '!=', 'case.viewed')
    .orderBy('id')
    .execute();
}
