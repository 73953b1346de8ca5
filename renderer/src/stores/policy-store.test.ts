// The administrators' policy editor from the desk's store, against a real hub: list, a draft checked before sending,
// a saved edit reflected from the hub's answer, and a non-admin refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STAFF, TestHub, type StaffMember } from '../../../e2e/support/hub';
import { DeskPool } from '../../../e2e/support/store-harness';
import type { RootStore } from './root-store';

const ADMIN: StaffMember = { username: 'jo', password: 'admin pass phrase', displayName: 'Jo Reid', role: 'admin', wards: [] };

let hub: TestHub;
const desks = new DeskPool();

function desk(member: StaffMember): Promise<RootStore> {
  return desks.signIn(hub.url, member);
}

beforeEach(async () => {
  hub = await TestHub.start();
  await hub.addUser(ADMIN);
  await hub.addUser(STAFF.sam);
});

afterEach(async () => {
  desks.disposeAll();
  await hub.stop();
});

describe('PolicyStore against a real hub', () => {
  it('lists the policies, refuses a draft the schema rejects without sending it, and saves an edit the hub then applies', async () => {
    const jo = await desk(ADMIN);
    await jo.policies.load();
    expect(jo.policies.error).toBeNull();
    const wardOne = jo.policies.policies.find((view) => view.queueId === 'ward-W1');
    expect(wardOne).toMatchObject({ queueName: 'Ward 1', source: 'config', policy: { acknowledgeBy: { minutes: 15 } } });

    jo.policies.edit('ward-W1');
    const draft = JSON.parse(jo.policies.editing!.draft) as Record<string, unknown>;
    jo.policies.setDraft(JSON.stringify({ ...draft, acknowledgeBy: { minutes: 0 } }));
    expect(await jo.policies.save()).toBe(false);
    expect(jo.policies.editing?.problem).toMatch(/acknowledgeBy/);
    jo.policies.setDraft('{ not json');
    expect(await jo.policies.save()).toBe(false);
    expect(jo.policies.editing?.problem).toMatch(/not valid JSON/);
    expect(await hub.hub.store.db.selectFrom('queue_policies').selectAll().execute()).toEqual([]);

    jo.policies.setDraft(JSON.stringify({ ...draft, acknowledgeBy: { minutes: 30 } }));
    expect(await jo.policies.save()).toBe(true);
    expect(jo.policies.editing).toBeNull();
    expect(jo.policies.policies.find((view) => view.queueId === 'ward-W1')).toMatchObject({ source: 'edited', updatedBy: { displayName: 'Jo Reid' }, policy: { acknowledgeBy: { minutes: 30 } } });

    // What the hub stored is what the list shows: the edit is the hub's, not the draft's.
    const stored = await hub.hub.store.db.selectFrom('queue_policies').select(['queue_id', 'policy']).execute();
    expect(stored.map((row) => [row.queue_id, JSON.parse(row.policy).acknowledgeBy])).toEqual([['ward-W1', { minutes: 30 }]]);
  });

  it('tells a non-admin that policies are for administrators', async () => {
    const sam = await desk(STAFF.sam);
    await sam.policies.load();
    // The hub's own words for the refusal (describeCommandError gives forbidden its message).
    expect(sam.policies.error).toBe('Only an administrator can see and change escalation policies.');
    expect(sam.policies.policies).toEqual([]);
  });
});
