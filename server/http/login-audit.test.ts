// H13: failed logins are audited (`login.failed`) with the name tried and why it failed, never the password, and the
// answer stays the same whatever the reason. The audit of failures is bounded per username, per source address and for
// the whole hub (failed-login-audit.ts): without a bound anyone who can reach the login page from many addresses could
// grow the audit chain and load the write queue at will. The throttle counts an attempt before its password is
// checked, so a burst sent together gets its free attempts and no more. Real HTTP on
// 127.0.0.1 from several loopback source addresses, real stores: SQLite and, when it is reachable, PostgreSQL.
import http from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FailedLoginAuditBudget } from '../auth/failed-login-audit';
import { LoginThrottle } from '../auth/login-throttle';
import { createStaff } from '../auth/staff-directory';
import { ManualClock } from '../clock';
import type { Hub } from '../hub';
import { createLogger } from '../observability/logger';
import { HubMetrics } from '../observability/metrics';
import { verifyAuditChain } from '../store/audit-log';
import type { Store } from '../store/open-store';
import { addStaff, TEST_PASSWORD } from '../testing/hub-harness';
import { postgres } from '../testing/services';
import { postgresTestStore, sqliteTestStore, startHubOn, type StoreHub, type TestStore } from '../testing/test-stores';
import { registerLoginRoute } from './login-route';

const pgService = await postgres();
const T0 = Date.UTC(2026, 5, 10, 9, 0);
const MINUTE = 60_000;
const WRONG = 'not-the-password-7731';

/** One login attempt over its own connection from `from`, a loopback address (Linux routes all of 127/8 to lo). */
function attempt(base: string, username: string, password: string, from = '127.0.0.1'): Promise<{ status: number; body: unknown }> {
  const payload = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${base}/api/login`,
      { method: 'POST', localAddress: from, agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as unknown }));
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

const loopback = (n: number) => `127.0.0.${10 + n}`;

interface FailedRow {
  actor_type: string;
  actor_id: string | null;
  case_id: string | null;
  detail: { username: string; reason: string; address: string };
}

async function failedLogins(store: Store): Promise<FailedRow[]> {
  const rows = await store.db.selectFrom('audit').select(['actor_type', 'actor_id', 'case_id', 'detail']).where('action', '=', 'login.failed').orderBy('id').execute();
  return rows.map((row) => ({ ...row, detail: JSON.parse(row.detail) as FailedRow['detail'] }));
}

/** A counter's value in Prometheus text, 0 when the series was never incremented. */
function counter(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe.each(['SQLite', 'PostgreSQL'] as const)('failed logins are audited (%s)', (storeName) => {
  const skip = storeName === 'PostgreSQL' && pgService.url === undefined;

  describe.skipIf(skip)('on a hub', () => {
    let hub: Hub;
    let running: StoreHub;

    beforeEach(async () => {
      running = await startHubOn(storeName, pgService.url, { clock: new ManualClock(T0), escalationTimer: false, outbox: { autoStart: false } });
      hub = running.hub;
      await addStaff(hub, 'nurse1', 'ward_nurse', ['W1']);
      const gone = await addStaff(hub, 'gone', 'ward_nurse', ['W1']);
      await hub.store.db.updateTable('users').set({ disabled: 1 }).where('id', '=', gone.id).execute();
    });

    afterEach(() => running.stop());

    it('audits each failure with the name tried and the reason, never the password, and answers every reason alike', async () => {
      const refused = { status: 401, body: { error: 'Wrong username or password.' } };
      expect(await attempt(hub.url, 'nobody', `${WRONG}-a`)).toEqual(refused);
      expect(await attempt(hub.url, 'Nurse1', `${WRONG}-b`)).toEqual(refused);
      expect(await attempt(hub.url, 'gone', TEST_PASSWORD)).toEqual(refused);
      expect(await attempt(hub.url, 'gone', `${WRONG}-c`)).toEqual(refused);
      expect((await attempt(hub.url, 'nurse1', TEST_PASSWORD)).status).toBe(200);

      expect(await failedLogins(hub.store)).toEqual(
        [
          ['nobody', 'unknown_user'],
          ['Nurse1', 'wrong_password'],
          ['gone', 'disabled'],
          ['gone', 'wrong_password'],
        ].map(([username, reason]) => ({ actor_type: 'user', actor_id: null, case_id: null, detail: { username, reason, address: '127.0.0.1' } })),
      );
      const everything = JSON.stringify(await hub.store.db.selectFrom('audit').selectAll().execute());
      expect(everything).not.toContain(WRONG);
      expect(everything).not.toContain(TEST_PASSWORD);
      expect(await verifyAuditChain(hub.store.db)).toMatchObject({ ok: true });
      const metrics = await (await fetch(`${hub.url}/metrics`)).text();
      expect(counter(metrics, 'clarion_login_failures_total{reason="credentials"}')).toBe(4);
    });

    it('lets staff sign in together from one address (a proxy at a shift change) without locking each other out', async () => {
      const names = Array.from({ length: 12 }, (_, n) => `shift${n}`);
      for (const name of names) await addStaff(hub, name, 'ward_nurse', ['W1']);
      const answers = await Promise.all(names.map((name) => attempt(hub.url, name, TEST_PASSWORD, '127.0.0.5')));
      expect(answers.map((answer) => answer.status)).toEqual(names.map(() => 200));
    });

    it('lets a burst sent together for one username make its five free guesses and no more, each audited', async () => {
      const answers = await Promise.all(Array.from({ length: 40 }, (_, n) => attempt(hub.url, 'nurse1', `${WRONG}-${n}`, loopback(n))));
      const failed = answers.filter((answer) => answer.status === 401).length;
      expect(failed).toBe(5);
      expect(answers.filter((answer) => answer.status === 429)).toHaveLength(35);
      // The right password, straight after, is refused too: the name is locked until the wait ends.
      expect((await attempt(hub.url, 'nurse1', TEST_PASSWORD, loopback(99))).status).toBe(429);
      const audited = (await failedLogins(hub.store)).length;
      expect(audited).toBe(Math.min(20, failed));
      const metrics = await (await fetch(`${hub.url}/metrics`)).text();
      expect(counter(metrics, 'clarion_login_failures_total{reason="credentials"}')).toBe(failed);
      expect(counter(metrics, 'clarion_login_failures_unaudited_total{bound="username"}')).toBe(failed - audited);
      expect(await verifyAuditChain(hub.store.db)).toMatchObject({ ok: true });
    });
  });

  describe.skipIf(skip)('the bound, past the throttle', () => {
    let testStore: TestStore;
    let app: FastifyInstance;
    let base: string;
    let clock: ManualClock;
    let metrics: HubMetrics;

    beforeEach(async () => {
      testStore = storeName === 'SQLite' ? await sqliteTestStore() : await postgresTestStore(pgService.url!);
      await createStaff(testStore.store, { username: 'nurse1', displayName: 'Nurse1', password: TEST_PASSWORD, role: 'ward_nurse', wards: ['W1'] });
      clock = new ManualClock(T0);
      metrics = new HubMetrics();
      app = Fastify({ logger: false, trustProxy: false });
      // The throttle held open: every attempt reaches the password check, as a burst sent together does.
      registerLoginRoute(app, {
        store: testStore.store,
        clock,
        metrics,
        log: createLogger('silent'),
        sessionLifetimeMs: 60 * MINUTE,
        throttle: new LoginThrottle(clock, { freeAttempts: 1_000_000 }),
        auditBudget: new FailedLoginAuditBudget(clock, { total: 45 }),
      });
      base = await app.listen({ host: '127.0.0.1', port: 0 });
    });

    afterEach(async () => {
      try {
        await app.close();
      } finally {
        await testStore.cleanup();
      }
    });

    const unaudited = async (bound: string) => counter(await metrics.registry.metrics(), `clarion_login_failures_unaudited_total{bound="${bound}"}`);

    it('holds per username, per source address and for the hub, each within a 15-minute window, and the login answers stay the same', async () => {
      const everyAnswer = new Set<string>();
      const tryAll = async (attempts: Array<[string, string]>) => {
        for (const answer of await Promise.all(attempts.map(([username, from], n) => attempt(base, username, `${WRONG}-${n}`, from)))) everyAnswer.add(JSON.stringify(answer));
      };

      // One name from 25 addresses: 20 audited.
      await tryAll(Array.from({ length: 25 }, (_, n) => ['nurse1', loopback(n)]));
      expect((await failedLogins(testStore.store)).length).toBe(20);
      expect(await unaudited('username')).toBe(5);

      // 25 names from one address: 20 more.
      await tryAll(Array.from({ length: 25 }, (_, n) => [`guess${n}`, '127.0.0.2']));
      expect((await failedLogins(testStore.store)).length).toBe(40);
      expect(await unaudited('address')).toBe(5);

      // New names from new addresses: the hub's own bound (45 here) stops the flood.
      await tryAll(Array.from({ length: 10 }, (_, n) => [`other${n}`, loopback(100 + n)]));
      expect((await failedLogins(testStore.store)).length).toBe(45);
      expect(await unaudited('hub')).toBe(5);

      // Refused attempts spent nothing: a new window audits this name and address again.
      clock.advance(15 * MINUTE);
      await tryAll([['nurse1', '127.0.0.2']]);
      expect((await failedLogins(testStore.store)).at(-1)?.detail).toEqual({ username: 'nurse1', reason: 'wrong_password', address: '127.0.0.2' });

      // Audited or not, every failure was answered the same.
      expect([...everyAnswer]).toEqual([JSON.stringify({ status: 401, body: { error: 'Wrong username or password.' } })]);
      expect(counter(await metrics.registry.metrics(), 'clarion_login_failures_total{reason="credentials"}')).toBe(61);
      expect(JSON.stringify(await testStore.store.db.selectFrom('audit').selectAll().execute())).not.toContain(WRONG);
      expect(await verifyAuditChain(testStore.store.db)).toMatchObject({ ok: true, rows: 47 });
    });
  });
});
