// POST /api/login: username + password → a bearer token for the desk's socket. Failures are slowed per username and
// per address (login-throttle.ts); unknown names take as long as wrong passwords.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LoginRequestSchema, type LoginResponse } from '../../shared/protocol';
import { LoginThrottle } from '../auth/login-throttle';
import { burnPasswordCheck, verifyPassword } from '../auth/passwords';
import { openSession } from '../auth/sessions';
import { findStaffByUsername, toUserView } from '../auth/staff-directory';
import type { Clock } from '../clock';
import type { Logger } from '../observability/logger';
import type { HubMetrics } from '../observability/metrics';
import type { Store } from '../store/open-store';

export interface LoginRouteDeps {
  store: Store;
  clock: Clock;
  metrics: HubMetrics;
  log: Logger;
  sessionLifetimeMs: number;
  throttle?: LoginThrottle;
}

export function registerLoginRoute(app: FastifyInstance, deps: LoginRouteDeps): void {
  const throttle = deps.throttle ?? new LoginThrottle(deps.clock);
  app.post('/api/login', async (request, reply) => {
    const parsed = LoginRequestSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: `Login needs a username and a password: ${z.prettifyError(parsed.error)}` });
    const { username, password } = parsed.data;
    const keys = [`user:${username.toLowerCase()}`, `address:${request.ip}`];
    const wait = throttle.retryAfter(keys);
    if (wait > 0) {
      deps.metrics.loginFailures.inc({ reason: 'throttled' });
      const seconds = Math.ceil(wait / 1000);
      return reply.code(429).header('retry-after', String(seconds)).send({ error: `Too many failed attempts. Try again in ${seconds} seconds.`, retryAfterSeconds: seconds });
    }
    const row = await findStaffByUsername(deps.store, username);
    const valid = row === undefined ? (await burnPasswordCheck(password), false) : await verifyPassword(password, row.password_hash);
    if (row === undefined || !valid || row.disabled !== 0) {
      throttle.recordFailure(keys);
      deps.metrics.loginFailures.inc({ reason: 'credentials' });
      deps.log.info({ username }, '[login] failed');
      return reply.code(401).send({ error: 'Wrong username or password.' });
    }
    throttle.recordSuccess(keys);
    const session = await openSession(deps.store, row.id, deps.sessionLifetimeMs, request.ip);
    const response: LoginResponse = { token: session.token, expiresAt: session.expiresAt, user: toUserView(row) };
    deps.log.info({ userId: row.id }, '[login] session opened');
    return reply.send(response);
  });
}
