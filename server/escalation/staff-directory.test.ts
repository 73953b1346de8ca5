// The engine keeps the staff directory between commits while its token (migration 0012) is unchanged. These tests fill
// that cache with a first ladder step, change the directory — through the hub and behind its back, in SQL as an admin
// or another hub would — and check that the next step reaches exactly who the directory now says. A cache that
// outlived a change would reach a disabled colleague, or someone gone off shift, or miss a new starter. A real hub on
// a ManualClock, real socket.io desks; on SQLite and, when it is reachable, PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { Hub } from '../hub';
import { addStaff, DeskSet, inbound, LINES, type TestDesk } from '../testing/hub-harness';
import { postgres } from '../testing/services';
import { startHubOn, type StoreHub } from '../testing/test-stores';
import { advance, JUNE_10_2026_10AM, MINUTE, setShift, storedAlerts, testSite } from './escalation-testing';

const pgService = await postgres();

describe.each(['SQLite', 'PostgreSQL'] as const)('ladder steps and changes to the staff directory (%s)', (storeName) => {
  const skip = storeName === 'PostgreSQL' && pgService.url === undefined;

  describe.skipIf(skip)('on a hub', () => {
    let hub: Hub;
    let clock: ManualClock;
    let running: StoreHub;
    let sam: TestDesk;
    let kim: TestDesk;
    const desks = new DeskSet(() => hub);

    beforeEach(async () => {
      clock = new ManualClock(JUNE_10_2026_10AM);
      running = await startHubOn(storeName, pgService.url, { clock, site: testSite() });
      hub = running.hub;
      await addStaff(hub, 'sam', 'outreach');
      await addStaff(hub, 'kim', 'outreach');
      await addStaff(hub, 'boss', 'admin');
      [sam, kim] = await Promise.all([desks.connect('sam'), desks.connect('kim'), desks.connect('boss')]);
      expect(await setShift(sam, true)).toMatchObject({ ok: true, onShift: true });
    });

    afterEach(() => running.stop(desks));

    /** Opens a Martha's Rule call; its first step (the on-shift outreach nurse) fires at once. */
    async function openCall(from: string): Promise<string> {
      const { caseId } = await hub.receive(inbound(from, LINES.martha, 'Mum is confused and breathing fast'));
      await hub.escalation.scheduler.advanceTo();
      return caseId;
    }

    /** The latest ladder step's alert (the deadline's warnings and breach, which reach nobody by name, left out). */
    async function lastAlert(caseId: string): Promise<{ type: string; level: number; targets: string[] }> {
      const last = (await storedAlerts(hub, caseId)).filter((event) => event.type === 'alert.escalated' || event.type === 'alert.nobody_reachable').at(-1)!;
      return { type: last.type, level: last.alert!.level, targets: [...last.alert!.targets].sort() };
    }

    it('does not reach a colleague disabled in SQL after the directory was last read', async () => {
      const caseId = await openCall('+447700900456');
      expect(await lastAlert(caseId)).toEqual({ type: 'alert.escalated', level: 0, targets: [sam.userId] });

      await hub.store.db.updateTable('users').set({ disabled: 1 }).where('id', '=', kim.userId).execute();
      // Five minutes on: the whole outreach team. Kim's desk is still connected, but she is no longer active staff.
      await advance(hub, clock, 5 * MINUTE);
      expect(await lastAlert(caseId)).toEqual({ type: 'alert.escalated', level: 1, targets: [sam.userId] });
    });

    it('finds nobody on shift once the only shift is ended in SQL, and says so upward', async () => {
      expect(await lastAlert(await openCall('+447700900456'))).toEqual({ type: 'alert.escalated', level: 0, targets: [sam.userId] });

      await hub.store.db.updateTable('shifts').set({ on_shift: 0, ends_at: null }).where('user_id', '=', sam.userId).execute();
      const second = await openCall('+447700900457');
      expect((await lastAlert(second)).type).toBe('alert.nobody_reachable');
    });

    it('reads the directory afresh at every step if its version row has been deleted by hand, rather than keep a stale one', async () => {
      const caseId = await openCall('+447700900456');
      expect(await lastAlert(caseId)).toEqual({ type: 'alert.escalated', level: 0, targets: [sam.userId] });

      await hub.store.db.deleteFrom('staff_directory_version').execute();
      await hub.store.db.updateTable('users').set({ disabled: 1 }).where('id', '=', kim.userId).execute();
      await advance(hub, clock, 5 * MINUTE);
      expect(await lastAlert(caseId)).toEqual({ type: 'alert.escalated', level: 1, targets: [sam.userId] });
    });

    it('reaches a new starter added and signed in after the directory was last read', async () => {
      const caseId = await openCall('+447700900456');
      expect(await lastAlert(caseId)).toEqual({ type: 'alert.escalated', level: 0, targets: [sam.userId] });

      await addStaff(hub, 'lee', 'outreach');
      const lee = await desks.connect('lee');
      await advance(hub, clock, 5 * MINUTE);
      expect(await lastAlert(caseId)).toEqual({ type: 'alert.escalated', level: 1, targets: [sam.userId, kim.userId, lee.userId].sort() });
    });

    it('names whom a step reached in order of id, whatever order their desks connected in', async () => {
      const caseId = await openCall('+447700900456');
      for (const username of ['lee', 'ana', 'joe']) await addStaff(hub, username, 'outreach');
      const ids = await hub.store.db.selectFrom('users').select(['id', 'username']).where('username', 'in', ['lee', 'ana', 'joe']).orderBy('id', 'desc').execute();
      // Connected last id first: an order the directory's is not.
      for (const { username } of ids) await desks.connect(username);
      await advance(hub, clock, 5 * MINUTE);
      const team = (await storedAlerts(hub, caseId)).filter((event) => event.type === 'alert.escalated').at(-1)!;
      expect(team.alert!.level).toBe(1);
      expect(team.alert!.targets).toEqual([sam.userId, kim.userId, ...ids.map((row) => row.id)].sort());
      // Five people at once: their notification rows, what each one's tray and count are read from, in one insert.
      const notified = await hub.store.db.selectFrom('alert_notifications').select(['user_id', 'kind', 'at']).where('case_id', '=', caseId).where('level', '=', 1).orderBy('user_id').execute();
      expect(notified).toEqual(team.alert!.targets.map((userId) => ({ user_id: userId, kind: 'escalated', at: team.at })));
    });
  });
});
