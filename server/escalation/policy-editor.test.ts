// Admins edit a queue's policy at the desk: validated, audited with what it replaced, idempotent, applied to alerts
// that start afterwards (running ladders keep their snapshot), and still in force after a restart.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EscalationPolicyInput } from '../../shared/escalation-policy';
import type { PoliciesListResult, PolicySetResult } from '../../shared/protocol';
import { ManualClock } from '../clock';
import type { Hub } from '../hub';
import { verifyAuditChain } from '../store/audit-log';
import { addStaff, commandId, DeskSet, inbound, LINES, startHub, stopHub, type TestDesk } from '../testing/hub-harness';
import { advance, JUNE_10_2026_10AM, MINUTE, OUTREACH_POLICY, storedAlerts, testSite } from './escalation-testing';

function setPolicy(desk: TestDesk, policy: unknown, id = commandId()): Promise<PolicySetResult> {
  return new Promise((resolve) => (desk.socket.emit as (event: string, payload: unknown, ack: (result: PolicySetResult) => void) => void)('policies:set', { commandId: id, policy }, resolve));
}
function listPolicies(desk: TestDesk): Promise<PoliciesListResult> {
  return new Promise((resolve) => desk.socket.emit('policies:list', {}, resolve));
}

/** Outreach with a 20-minute acknowledge-by and a ladder whose only step names the admin after 1 minute. */
const EDITED: EscalationPolicyInput = {
  ...OUTREACH_POLICY,
  acknowledgeBy: { minutes: 20 },
  ladder: { steps: [{ afterMinutes: 1, notify: { kind: 'user', username: 'boss' } }], repeat: 0, repeatAfterMinutes: 5 },
};

describe('admins edit escalation policies', () => {
  let hub: Hub;
  let clock: ManualClock;
  let boss: TestDesk;
  let sam: TestDesk;
  const desks = new DeskSet(() => hub);

  beforeEach(async () => {
    clock = new ManualClock(JUNE_10_2026_10AM);
    hub = await startHub({ clock, site: testSite() });
    await addStaff(hub, 'boss', 'admin');
    await addStaff(hub, 'sam', 'outreach');
    [boss, sam] = await Promise.all([desks.connect('boss'), desks.connect('sam')]);
  });

  afterEach(() => stopHub(hub, desks));

  it('lists every queue with its policy and where it comes from, for admins only', async () => {
    const listed = await listPolicies(boss);
    if (!listed.ok) throw new Error(listed.error.message);
    expect(listed.policies.find((view) => view.queueId === 'outreach')).toMatchObject({ source: 'config', policy: { acknowledgeBy: { minutes: 5 } }, updatedBy: null });
    expect(listed.policies.map((view) => view.queueId)).toEqual(hub.site.queues.map((queue) => queue.id));
    expect(await listPolicies(sam)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('applies an edit to alerts that start afterwards; a running ladder keeps its snapshot', async () => {
    const before = await hub.receive(inbound('+447700900456', LINES.martha, 'before the edit'));
    await hub.escalation.scheduler.advanceTo();

    const result = await setPolicy(boss, EDITED);
    expect(result).toMatchObject({ ok: true, policy: { queueId: 'outreach', source: 'edited', updatedBy: { displayName: 'Boss' }, updatedAt: JUNE_10_2026_10AM } });

    const after = await hub.receive(inbound('+447700900457', LINES.martha, 'after the edit'));
    await hub.escalation.scheduler.advanceTo();
    const [oldCase, newCase] = await Promise.all([before.caseId, after.caseId].map((id) => hub.store.db.selectFrom('cases').select(['ack_due_at']).where('id', '=', id).executeTakeFirstOrThrow()));
    expect(oldCase!.ack_due_at).toBe(JUNE_10_2026_10AM + 5 * MINUTE);
    expect(newCase!.ack_due_at).toBe(JUNE_10_2026_10AM + 20 * MINUTE);

    // Six minutes on: the old call has climbed its own (config) ladder; the new one has called only the admin, as edited.
    await advance(hub, clock, 6 * MINUTE);
    const oldEscalations = (await storedAlerts(hub, before.caseId)).filter((event) => event.type === 'alert.escalated' || event.type === 'alert.nobody_reachable');
    const newEscalations = (await storedAlerts(hub, after.caseId)).filter((event) => event.type === 'alert.escalated' || event.type === 'alert.nobody_reachable');
    expect(oldEscalations.length).toBeGreaterThanOrEqual(2);
    expect(newEscalations).toHaveLength(1);
    expect(newEscalations[0]!.alert).toMatchObject({ kind: 'escalated', targets: [boss.userId] });
  });

  it('audits the edit with what it replaced, answers a repeated command id the same, and refuses bad input unchanged', async () => {
    const id = commandId();
    const first = await setPolicy(boss, EDITED, id);
    expect(await setPolicy(boss, EDITED, id)).toEqual(first);
    const audit = await hub.store.db.selectFrom('audit').select(['action', 'actor_id', 'detail']).where('action', '=', 'policy.updated').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(boss.userId);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ queueId: 'outreach', before: { acknowledgeBy: { minutes: 5 } }, after: { acknowledgeBy: { minutes: 20 } } });

    const rows = async () => hub.store.db.selectFrom('queue_policies').selectAll().execute();
    const stored = await rows();
    expect(await setPolicy(sam, { ...EDITED, acknowledgeBy: { minutes: 99 } })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await setPolicy(boss, { ...EDITED, acknowledgeBy: { minutes: -1 } })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await setPolicy(boss, { ...EDITED, ladder: { steps: [] } })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await setPolicy(boss, { ...EDITED, queueId: 'nowhere' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await setPolicy(boss, { ...EDITED, surprise: true })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await rows()).toEqual(stored);
    expect(await verifyAuditChain(hub.store.db)).toMatchObject({ ok: true });
  });

  it('reaches a second hub on the same store when it refreshes, without a restart', async () => {
    const other = await startHub({ clock, site: testSite(), dataDir: hub.config.dataDir });
    try {
      expect(other.policies.list({ id: boss.userId, username: 'boss', displayName: 'Boss', role: 'admin', wards: [] })).toMatchObject({
        ok: true,
        policies: expect.arrayContaining([expect.objectContaining({ queueId: 'outreach', source: 'config' })]),
      });
      expect((await setPolicy(boss, EDITED)).ok).toBe(true);
      await other.policies.load();
      const { caseId } = await other.receive(inbound('+447700900459', LINES.martha, 'on the other hub'));
      expect((await other.store.db.selectFrom('cases').select('ack_due_at').where('id', '=', caseId).executeTakeFirstOrThrow()).ack_due_at).toBe(JUNE_10_2026_10AM + 20 * MINUTE);
    } finally {
      await other.close();
    }
  });

  it('keeps the edit across a restart', async () => {
    expect((await setPolicy(boss, EDITED)).ok).toBe(true);
    boss.close();
    sam.close();
    await hub.close();
    hub = await startHub({ clock, site: testSite(), dataDir: hub.config.dataDir });
    boss = await desks.connect('boss');
    sam = await desks.connect('sam');
    const listed = await listPolicies(boss);
    if (!listed.ok) throw new Error(listed.error.message);
    expect(listed.policies.find((view) => view.queueId === 'outreach')).toMatchObject({ source: 'edited', policy: { acknowledgeBy: { minutes: 20 } }, updatedBy: { userId: boss.userId } });
    const { caseId } = await hub.receive(inbound('+447700900458', LINES.martha, 'after the restart'));
    expect((await hub.store.db.selectFrom('cases').select('ack_due_at').where('id', '=', caseId).executeTakeFirstOrThrow()).ack_due_at).toBe(JUNE_10_2026_10AM + 20 * MINUTE);
  });
});
