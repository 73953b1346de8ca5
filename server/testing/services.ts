// Test support for the parts that need real PostgreSQL and Redis. On a developer's machine without them those tests
// are skipped, saying why; in CI (CLARION_REQUIRE_SERVICES=1) a missing service is a failure, never a skip.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';

const DEFAULT_POSTGRES = 'postgres://postgres@127.0.0.1:5432/test';
const DEFAULT_REDIS = 'redis://127.0.0.1:6379';

export const servicesRequired = process.env.CLARION_REQUIRE_SERVICES === '1';

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port), timeout: 1000 }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export interface ServiceCheck {
  url: string | undefined;
  reason: string;
}

async function check(name: string, envName: string, fallback: string): Promise<ServiceCheck> {
  const url = process.env[envName] ?? fallback;
  if (await reachable(url)) return { url, reason: '' };
  const reason = `${name} is not reachable at ${url} (set ${envName})`;
  if (servicesRequired) throw new Error(`${reason}; CLARION_REQUIRE_SERVICES=1 forbids skipping`);
  console.warn(`[skip] ${reason}: these tests did not run`);
  return { url: undefined, reason };
}

export const postgres = (): Promise<ServiceCheck> => check('PostgreSQL', 'CLARION_TEST_DATABASE_URL', DEFAULT_POSTGRES);
export const redis = (): Promise<ServiceCheck> => check('Redis', 'CLARION_TEST_REDIS_URL', DEFAULT_REDIS);

/** A new, empty database for one test file, dropped by the returned function. */
export async function freshDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `clarion_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await dropWhenClosed(client, name);
      } finally {
        await client.end();
      }
    },
  };
}

/** PostgreSQL's "database is being accessed by other users". */
const OBJECT_IN_USE = '55006';

/**
 * Drops the database once its connections have gone. A pool's `end()` resolves before its clients' sockets have
 * closed; `with (force)` at that moment terminates their backends, and the client still closing gets an error event
 * nobody listens for any more (an unhandled error that failed a whole run). So: without force while they close, and
 * with it only if something still holds the database after a few seconds — a leak the test that made it should fix.
 */
async function dropWhenClosed(client: pg.Client, name: string): Promise<void> {
  const giveUpAt = Date.now() + 5_000;
  for (;;) {
    try {
      await client.query(`drop database if exists ${name}`);
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== OBJECT_IN_USE) throw error;
      if (Date.now() > giveUpAt) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  console.warn(`[services] database ${name} still had connections 5 s after its test closed them: dropped with force`);
  await client.query(`drop database if exists ${name} with (force)`);
}
