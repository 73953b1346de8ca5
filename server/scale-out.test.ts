// Several hubs on one PostgreSQL store with the socket.io Redis adapter between them (ARCHITECTURE.md, "Scale-out").
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult } from '../shared/protocol';
import type { Hub } from './hub';
import { verifyAuditChain } from './store/audit-log';
import { addStaff, commandId, connectDesk, inbound, LINES, removeDir, startHub } from './testing/hub-harness';
import { freshDatabase, postgres, redis } from './testing/services';

const [pgService, redisService] = await Promise.all([postgres(), redis()]);
const available = pgService.url !== undefined && redisService.url !== undefined;

describe.skipIf(!available)('two hubs sharing PostgreSQL and a Redis adapter', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let hubA: Hub;
  let hubB: Hub;

  beforeAll(async () => {
    database = await freshDatabase(pgService.url!);
    const shared = { databaseUrl: database.url, redisUrl: redisService.url!, redisChannel: `clarion-test-${randomBytes(4).toString('hex')}` };
    hubA = await startHub(shared);
    hubB = await startHub(shared);
    await addStaff(hubA, 'sam', 'outreach');
    await addStaff(hubA, 'kim', 'outreach');
  });

  afterAll(async () => {
    await hubA?.close();
    await hubB?.close();
    removeDir(hubA.config.dataDir);
    removeDir(hubB.config.dataDir);
    await database?.drop();
  });

  it('streams a change committed on one hub to a desk connected to the other', async () => {
    const deskOnA = await connectDesk(hubA, 'sam');
    try {
      const received = await hubB.receive(inbound('+447700900800', LINES.martha, 'across hubs'));
      const event = await deskOnA.waitFor((candidate) => candidate.case.id === received.caseId);
      expect(event.type).toBe('case.opened');
    } finally {
      deskOnA.close();
    }
  });

  it("drops events from another hub that do not parse, and keeps streaming that hub's real ones", async () => {
    const deskOnA = await connectDesk(hubA, 'sam');
    try {
      // What a confused or hostile publisher on the Redis channel could send: it crossed a boundary, so it is read.
      hubB.io.serverSideEmit('desk:events', [{ event: { seq: 'not a number', case: { queueId: 'outreach' } }, prevQueueId: null }] as never);
      const received = await hubB.receive(inbound('+447700900802', LINES.martha, 'after the noise'));
      await deskOnA.waitFor((candidate) => candidate.case.id === received.caseId);
      expect(deskOnA.events.map((event) => event.case.id)).toEqual([received.caseId]);
    } finally {
      deskOnA.close();
    }
  });

  it('keeps sequence numbers gap-free and the audit chain whole under concurrent writers on both hubs', async () => {
    const before = await hubA.store.db.selectFrom('events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow();
    await Promise.all(
      Array.from({ length: 120 }, (_, index) => (index % 2 === 0 ? hubA : hubB).receive(inbound(`+44770090${String(1000 + index)}`, LINES.martha, `concurrent ${index}`))),
    );
    const events = await hubA.store.db.selectFrom('events').select(['seq', 'at']).where('seq', '>', Number(before.seq ?? 0)).orderBy('seq').execute();
    expect(events).toHaveLength(120);
    events.forEach((event, index) => expect(event.seq).toBe(Number(before.seq ?? 0) + index + 1));
    expect(await verifyAuditChain(hubB.store.db)).toMatchObject({ ok: true });
  });

  it('lets one of two acknowledgements on different hubs win', async () => {
    const [deskA, deskB] = await Promise.all([connectDesk(hubA, 'sam'), connectDesk(hubB, 'kim')]);
    try {
      const { caseId } = await hubA.receive(inbound('+447700900801', LINES.martha, 'race'));
      const acknowledge = (desk: typeof deskA) =>
        new Promise<CommandResult>((resolve) => desk.socket.emit('acknowledge', { commandId: commandId(), caseId, version: 1 }, resolve));
      const results = await Promise.all([acknowledge(deskA), acknowledge(deskB)]);
      expect(results.filter((result) => result.ok)).toHaveLength(1);
      expect(results.filter((result) => !result.ok && result.error.code === 'already_acknowledged')).toHaveLength(1);
    } finally {
      deskA.close();
      deskB.close();
    }
  });
});
