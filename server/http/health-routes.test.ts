// /healthz and /metrics on a real hub: a hub whose escalation has stalled (timers past due and unfired) says so —
// `degraded` on /healthz, a count and an age on /metrics — and is back to `ok` once they fire. So does a hub whose audit
// chain watch found a broken row (server/store/audit-watch.test.ts has the watch itself). A hub that has lost its
// store answers 503.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { Hub } from '../hub';
import { appendAudit } from '../store/audit-log';
import { inbound, LINES, startHub, stopHub } from '../testing/hub-harness';

const T0 = Date.UTC(2026, 5, 10, 9, 0);
const MINUTE = 60_000;

async function health(hub: Hub): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${hub.url}/healthz`);
  return { status: response.status, body: await response.json() };
}

async function metric(hub: Hub, name: string): Promise<number> {
  const text = await (await fetch(`${hub.url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  if (line === undefined) throw new Error(`${name} is not on /metrics`);
  return Number(line.slice(name.length + 1));
}

describe('/healthz', () => {
  let hub: Hub;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock(T0);
    // With a manual clock the scheduler fires only when told (advanceTo): moving the clock alone is a stalled scheduler.
    hub = await startHub({ clock, outbox: { autoStart: false } });
  });

  afterEach(() => stopHub(hub));

  it('says "degraded" with the overdue timers while escalation has stalled, and "ok" once they have fired', async () => {
    await hub.receive(inbound('+447700900771', LINES.martha, 'Dad is getting worse'));
    expect(await health(hub)).toMatchObject({ status: 200, body: { status: 'ok', timers: { overdue: 0, oldestOverdueSeconds: 0 } } });

    // The demo ladder's first step is due a minute after the call; three minutes on it is two minutes late. The
    // half-way warning of the 5-minute deadline (2.5 min) is 30 s late: within the grace, not counted.
    clock.advance(3 * MINUTE);
    expect(await health(hub)).toMatchObject({ status: 200, body: { status: 'degraded', store: 'sqlite', timers: { overdue: 1, oldestOverdueSeconds: 120 } } });
    expect(await metric(hub, 'clarion_timers_overdue')).toBe(1);
    expect(await metric(hub, 'clarion_timers_oldest_overdue_seconds')).toBe(120);

    await hub.escalation.scheduler.advanceTo();
    expect(await health(hub)).toMatchObject({ status: 200, body: { status: 'ok', timers: { overdue: 0 } } });
    clock.advance(1_000);
    expect(await metric(hub, 'clarion_timers_overdue')).toBe(0);
  });

  it('says "degraded", still with a 200, naming the row while the audit chain is broken', async () => {
    for (let index = 1; index <= 4; index += 1) {
      await hub.store.writes.run((unit) => appendAudit(unit, { actorType: 'system', actorId: null, action: 'case.acknowledged', caseId: `case-${index}`, detail: {} }));
    }
    await hub.auditChain.full();
    expect(await health(hub)).toMatchObject({ status: 200, body: { status: 'ok', auditChain: { state: 'intact', verifiedRows: 4 } } });

    await sql`update audit set detail = '{"n":1}' where id = 2`.execute(hub.store.db);
    await hub.auditChain.full();
    // Every hub on the store would say the same: a 503 would take them all out of the balancer, messages included.
    expect(await health(hub)).toMatchObject({
      status: 200,
      body: { status: 'degraded', timers: { overdue: 0 }, auditChain: { state: 'broken', brokenAt: 2, reason: 'row content does not match its hash', verifiedRows: 4 } },
    });
    expect(await metric(hub, 'clarion_audit_chain_intact')).toBe(0);
  });

  it('answers 503 when the store cannot be read', async () => {
    await hub.store.close();
    expect(await health(hub)).toMatchObject({ status: 503, body: { status: 'unavailable', store: 'sqlite' } });
  });
});
