// Bearer tokens for desks. The token is 256 random bits shown once to the desk; the store keeps only its sha256.
import { createHash, randomBytes } from 'node:crypto';
import type { UserView } from '../../shared/domain';
import { appendAudit } from '../store/audit-log';
import type { Store } from '../store/open-store';
import { toUserView } from './staff-directory';

export interface IssuedSession {
  token: string;
  expiresAt: number;
}

export interface ActiveSession {
  user: UserView;
  expiresAt: number;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function openSession(store: Store, userId: string, lifetimeMs: number, address: string): Promise<IssuedSession> {
  const token = randomBytes(32).toString('base64url');
  return store.writes.run(async (unit) => {
    const expiresAt = unit.now + lifetimeMs;
    await unit.trx.insertInto('sessions').values({ token_hash: hashToken(token), user_id: userId, created_at: unit.now, expires_at: expiresAt }).execute();
    await appendAudit(unit, { actorType: 'user', actorId: userId, action: 'session.opened', caseId: null, detail: { address, expiresAt } });
    return { token, expiresAt };
  });
}

export async function resolveSession(store: Store, token: string, now: number): Promise<ActiveSession | undefined> {
  const row = await store.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select('sessions.expires_at')
    .where('sessions.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (row === undefined || row.expires_at <= now || row.disabled !== 0) return undefined;
  return { user: toUserView(row), expiresAt: row.expires_at };
}
