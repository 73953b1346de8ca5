// POST /api/login: username + password → a bearer token for the desk's socket. Failures are slowed per username and
// per address (login-throttle.ts); unknown names take as long as wrong passwords. Each failure is audited
// (`login.failed`) within a bounded budget (failed-login-audit.ts), whatever its reason, so the answer and its timing
// stay the same for every reason.
import type { FastifyInstance } from 'fastify';
import { Counter } from 'prom-client';
import { z } from 'zod';
import { LoginRequestSchema, type LoginResponse } from '../../shared/protocol';
import { FailedLoginAuditBudget, type AuditBound, type LoginFailureReason } from '../auth/failed-login-audit';
import { LoginThrottle } from '../auth/login-throttle';
import { burnPasswordCheck, verifyPassword } from '../auth/passwords';
import { openSession } from '../auth/sessions';
import { findStaffByUsername, toUserView } from '../auth/staff-directory';
import type { Clock } from '../clock';
import type { Logger } from '../observability/logger';
import type { HubMetrics } from '../observability/metrics';
import { appendAudit } from '../store/audit-log';
import type { Store } from '../store/open-store';

export interface LoginRouteDeps {
  store: Store;
  clock: Clock;
  metrics: HubMetrics;
  log: Logger;
  sessionLifetimeMs: number;
  throttle?: LoginThrottle;
  auditBudget?: FailedLoginAuditBudget;
}

export function registerLoginRoute(app: FastifyInstance, deps: LoginRouteDeps): void {
  const throttle = deps.throttle ?? new LoginThrottle(deps.clock);
  const auditBudget = deps.auditBudget ?? new FailedLoginAuditBudget(deps.clock);
  const unaudited = new Counter({
    name: 'clarion_login_failures_unaudited_total',
    help: 'Failed logins not written to the audit chain because a bound on audited failures was spent',
    labelNames: ['bound'] as const,
    registers: [deps.metrics.registry],
  });

  /** Never throws: the 401 is the same whether or not the row was written (a failed write is logged). */
  async function auditFailure(username: string, address: string, reason: LoginFailureReason): Promise<void> {
    const spent: AuditBound | null = auditBudget.take(username, address);
    if (spent !== null) {
      unaudited.inc({ bound: spent });
      return;
    }
    try {
      // Nobody was authenticated, so there is no actor id; the name tried is in the detail, the password never is.
      await deps.store.writes.run((unit) => appendAudit(unit, { actorType: 'user', actorId: null, action: 'login.failed', caseId: null, detail: { username, reason, address } }));
    } catch (error) {
      deps.log.error({ err: error }, '[login] failure not audited');
    }
  }

  app.post('/api/login', async (request, reply) => {
    const parsed = LoginRequestSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: `Login needs a username and a password: ${z.prettifyError(parsed.error)}` });
    const { username, password } = parsed.data;
    const userKey = `user:${username.toLowerCase()}`;
    const addressKey = `address:${request.ip}`;
    const keys = [userKey, addressKey];
    const wait = throttle.retryAfter(keys);
    if (wait > 0) {
      deps.metrics.loginFailures.inc({ reason: 'throttled' });
      const seconds = Math.ceil(wait / 1000);
      return reply.code(429).header('retry-after', String(seconds)).send({ error: `Too many failed attempts. Try again in ${seconds} seconds.`, retryAfterSeconds: seconds });
    }
    // A guess at this name counts as a failure before the password is checked, and is forgiven if it turns out right:
    // counted after, guesses sent together all passed the check above while the first was still hashing, and each got
    // a real guess. Only the name's count: a hospital's desks may all reach the hub from one proxy address, and staff
    // signing in together at a shift change must not lock each other out.
    throttle.recordFailure([userKey]);
    const row = await findStaffByUsername(deps.store, username);
    const valid = row === undefined ? (await burnPasswordCheck(password), false) : await verifyPassword(password, row.password_hash);
    if (row === undefined || !valid || row.disabled !== 0) {
      throttle.recordFailure([addressKey]);
      deps.metrics.loginFailures.inc({ reason: 'credentials' });
      deps.log.info({ username }, '[login] failed');
      // A disabled account counts as such only with its right password: a wrong one is a guess like any other.
      await auditFailure(username, request.ip, row === undefined ? 'unknown_user' : !valid ? 'wrong_password' : 'disabled');
      return reply.code(401).send({ error: 'Wrong username or password.' });
    }
    throttle.recordSuccess(keys);
    const session = await openSession(deps.store, row.id, deps.sessionLifetimeMs, request.ip);
    const response: LoginResponse = { token: session.token, expiresAt: session.expiresAt, user: toUserView(row) };
    deps.log.info({ userId: row.id }, '[login] session opened');
    return reply.send(response);
  });
}
