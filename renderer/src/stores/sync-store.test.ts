// Resync against a real hub: the desk's copy must equal the hub's truth after any reconnect.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINES, STAFF } from '../../../e2e/support/hub';
import { signedInDesk, until, useStaffedHub } from '../../../e2e/support/store-harness';
import type { RootStore } from './root-store';

const staffed = useStaffedHub();

function desk(member: (typeof STAFF)[keyof typeof STAFF]): Promise<RootStore> {
  return staffed.desks.signIn(staffed.hub.url, member);
}

function snapshot(store: RootStore) {
  return [...store.cases.byId.values()]
    .filter((view) => view.status !== 'resolved')
    .map((view) => ({ id: view.id, version: view.version, status: view.status, preview: view.lastMessagePreview }))
    .sort((left, right) => left.id.localeCompare(right.id));
}


describe('SyncStore against a real hub', () => {
  it('bootstraps the cases in scope and applies a live message', async () => {
    await staffed.hub.receive('+447700900501', LINES.martha, 'Mum is much worse tonight');
    const sam = await desk(STAFF.sam);
    expect(sam.cases.activeCases).toHaveLength(1);
    expect(sam.sync.lastSeq).toBeGreaterThan(0);

    await staffed.hub.receive('+447700900502', LINES.martha, 'Please come, he is confused');
    await until(() => sam.cases.activeCases.length === 2, 'second case live');
    expect(sam.cases.activeCases.map((view) => view.lastMessagePreview)).toContain('Please come, he is confused');
  });

  it('after a disconnect receives exactly the 50 changes it missed, once each', async () => {
    const sam = await desk(STAFF.sam);
    await staffed.hub.receive('+447700900510', LINES.martha, 'first');
    await until(() => sam.cases.activeCases.length === 1, 'first case');
    const caseId = sam.cases.activeCases[0]?.id ?? '';
    sam.selection.select(caseId);
    // The call and the demo's automatic Martha's Rule first reply, queued in the same transaction.
    await until(() => sam.messages.thread(caseId)?.length === 2, 'thread loaded');

    sam.transport.disconnect();
    for (let index = 0; index < 50; index += 1) await staffed.hub.receive('+447700900510', LINES.martha, `missed ${index}`);
    const seqBefore = sam.sync.lastSeq;
    sam.transport.connect(sam.session.token ?? '');
    await until(() => sam.connection.state === 'live', 'live again');

    const thread = sam.messages.thread(caseId) ?? [];
    expect(thread.filter((message) => message.direction === 'inbound').map((message) => message.body)).toEqual(['first', ...Array.from({ length: 50 }, (_, index) => `missed ${index}`)]);
    expect(thread[1]).toMatchObject({ direction: 'outbound', authorId: null });
    expect(new Set(thread.map((message) => message.id)).size).toBe(52);
    expect(sam.sync.lastSeq).toBeGreaterThanOrEqual(seqBefore + 50);
    expect(sam.sync.bootstrapCount).toBe(1);
  });

  it('holds back events pushed while its sync is in flight, and ends identical to a fresh desk', async () => {
    const sam = await desk(STAFF.sam);
    // Deterministic interleaving on the real hub: when the desk's `sync` packet arrives, commit one more
    // message first, so its pushed event reaches the desk before the sync answer does.
    let beforeSync: (() => Promise<unknown>) | null = null;
    staffed.hub.hub.io.on('connection', (socket) => {
      socket.use(([name], next) => {
        const inject = name === 'sync' ? beforeSync : null;
        if (!inject) return next();
        beforeSync = null;
        inject().then(() => next(), next);
      });
    });

    sam.transport.disconnect();
    for (let index = 0; index < 5; index += 1) await staffed.hub.receive(`+4477009006${String(index).padStart(2, '0')}`, LINES.martha, `gap ${index}`);
    beforeSync = () => staffed.hub.receive('+447700900699', LINES.martha, 'pushed during sync');
    sam.transport.connect(sam.session.token ?? '');
    await until(() => sam.connection.state === 'live', 'live again');
    expect(beforeSync).toBeNull();

    expect(sam.cases.activeCases.map((view) => view.lastMessagePreview).sort()).toEqual(
      ['gap 0', 'gap 1', 'gap 2', 'gap 3', 'gap 4', 'pushed during sync'],
    );
    const fresh = await desk(STAFF.alex);
    expect(snapshot(sam)).toEqual(snapshot(fresh));
    expect(sam.sync.lastSeq).toBe(fresh.sync.lastSeq);
  });

  it('catches up after the hub restarts on the same data, without a fresh bootstrap', async () => {
    const sam = await desk(STAFF.sam);
    await staffed.hub.receive('+447700900520', LINES.martha, 'before restart');
    await until(() => sam.cases.activeCases.length === 1, 'case before restart');

    await staffed.hub.restart(async () => {
      await until(() => sam.connection.state !== 'live', 'desk notices the hub went away');
    });
    await staffed.hub.receive('+447700900521', LINES.martha, 'while the desk reconnects');
    await until(() => sam.connection.state === 'live' && sam.cases.activeCases.length === 2, 'live with both cases');
    expect(sam.sync.bootstrapCount).toBe(1);
  });

  it('falls back to a fresh bootstrap when the hub refuses the gap', async () => {
    const sam = await desk(STAFF.sam);
    await staffed.hub.receive('+447700900530', LINES.martha, 'hello');
    await until(() => sam.cases.activeCases.length === 1, 'case');
    sam.transport.disconnect();
    // A sequence the hub cannot serve: it answers `invalid`, and the desk must rebuild from a bootstrap.
    sam.sync.lastSeq = -1;
    sam.transport.connect(sam.session.token ?? '');
    await until(() => sam.connection.state === 'live', 'live');
    expect(sam.sync.bootstrapCount).toBe(2);
    expect(sam.cases.activeCases).toHaveLength(1);
    expect(sam.sync.lastSeq).toBeGreaterThan(0);
  });

  it('bootstraps again when the hub comes back on an older store (restored from a backup), and shows what follows', async () => {
    const sam = await desk(STAFF.sam);
    await staffed.hub.receive('+447700900540', LINES.martha, 'before the backup');
    await until(() => sam.cases.activeCases.length === 1, 'first case');
    const backup = mkdtempSync(join(tmpdir(), 'clarion-backup-'));
    try {
      await staffed.hub.restart(async () => cpSync(staffed.hub.dataDir, backup, { recursive: true }));
      await until(() => sam.connection.state === 'live', 'live after the backup');
      await staffed.hub.receive('+447700900541', LINES.martha, 'after the backup');
      await until(() => sam.cases.activeCases.length === 2, 'second case');
      const seqSeen = sam.sync.lastSeq;

      // The store is replaced by the backup while the hub is down: the hub comes back behind what the desk has seen.
      await staffed.hub.restart(async () => {
        await until(() => sam.connection.state !== 'live', 'desk notices the hub went away');
        rmSync(staffed.hub.dataDir, { recursive: true, force: true });
        cpSync(backup, staffed.hub.dataDir, { recursive: true });
      });
      await until(() => sam.connection.state === 'live' && sam.sync.bootstrapCount === 2, 'bootstrapped on the restored store');
      expect(sam.cases.activeCases.map((view) => view.lastMessagePreview)).toEqual(['before the backup']);
      expect(sam.sync.lastSeq).toBeLessThan(seqSeen);

      // New events are numbered from the restored store's head, below what the desk had seen: they must still show.
      await staffed.hub.receive('+447700900542', LINES.martha, 'after the restore');
      await until(() => sam.cases.activeCases.some((view) => view.lastMessagePreview === 'after the restore'), 'new case after the restore');
    } finally {
      rmSync(backup, { recursive: true, force: true });
    }
  });

  it("runs the desk's clock on the hub's time when the ward PC's clock is ten minutes out", async () => {
    const slow = await signedInDesk(staffed.hub.url, STAFF.sam.username, STAFF.sam.password, { readClock: () => Date.now() - 10 * 60_000 });
    staffed.desks.add(slow);
    expect(Math.abs(slow.clock.now - Date.now())).toBeLessThan(1_000);
    expect(Math.abs(slow.clock.offsetMs - 10 * 60_000)).toBeLessThan(1_000);
    // A Martha's Rule call's five minutes count down from the hub's clock, not the PC's.
    await staffed.hub.receive('+447700900550', LINES.martha, 'Dad is much worse');
    await until(() => slow.cases.activeCases.length === 1, 'the call');
    const call = slow.cases.activeCases[0];
    expect((call?.ackDueAt ?? 0) - slow.clock.now).toBeGreaterThan(4 * 60_000);
    expect((call?.ackDueAt ?? 0) - slow.clock.now).toBeLessThanOrEqual(5 * 60_000 + 1_000);
  });

  it("puts the desk's clock back on the hub's time when the ward PC's clock is changed while it runs", async () => {
    let pcOffset = 0;
    const desk = await signedInDesk(staffed.hub.url, STAFF.sam.username, STAFF.sam.password, { readClock: () => Date.now() + pcOffset });
    staffed.desks.add(desk);
    expect(Math.abs(desk.clock.now - Date.now())).toBeLessThan(1_000);
    // Someone sets the PC ten minutes fast; within a tick or two the desk has asked the hub and runs on its time again.
    pcOffset = 10 * 60_000;
    await until(() => Math.abs(desk.clock.offsetMs + 10 * 60_000) < 1_000, 'the offset measured again', 5_000);
    expect(Math.abs(desk.clock.now - Date.now())).toBeLessThan(1_000);
  });

  it('never shows a ward nurse a case outside her wards', async () => {
    const nina = await desk(STAFF.nina);
    await staffed.hub.receive('+447700900540', LINES.martha, 'outreach only');
    const sam = await desk(STAFF.sam);
    await until(() => sam.cases.activeCases.length === 1, 'outreach sees it');
    expect(nina.cases.activeCases).toHaveLength(0);
    expect(nina.directory.queues.map((queue) => queue.id)).not.toContain('outreach');
  });
});
