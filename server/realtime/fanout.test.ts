import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeskEvent } from '../../shared/protocol';
import type { Hub } from '../hub';
import { addStaff, connectDesk, DeskSet, inbound, LINES, startHub, stopHub, type TestDesk } from '../testing/hub-harness';

/** Every `events` packet a desk receives, as it arrived. */
function packetsOf(desk: TestDesk): DeskEvent[][] {
  const packets: DeskEvent[][] = [];
  desk.socket.on('events', (batch) => packets.push(batch));
  return packets;
}

describe('committed events reach each desk as one packet per commit, in seq order', () => {
  let hub: Hub;
  const desks = new DeskSet(() => hub);

  beforeEach(async () => {
    // No escalation timers: the PALS ladder's first step is due at once and would add its alerts to the commits counted here.
    hub = await startHub({ escalationTimer: false });
    await addStaff(hub, 'outreach1', 'outreach');
    await addStaff(hub, 'outreach2', 'outreach');
    await addStaff(hub, 'pals1', 'pals_officer');
    await addStaff(hub, 'admin1', 'admin');
  });

  afterEach(() => stopHub(hub, desks));

  it('batches a group commit per scope, filtered to the queues each desk may see', async () => {
    const [outreach1, outreach2, pals, admin] = await Promise.all(['outreach1', 'outreach2', 'pals1', 'admin1'].map((name) => desks.connect(name)));
    const packets = new Map(desks.open.map((desk) => [desk, packetsOf(desk)]));

    // Arriving together, these share group commits: the first opens a transaction, the rest wait and commit together.
    const received = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        index % 2 === 0
          ? hub.receive(inbound(`+4477009010${String(index).padStart(2, '0')}`, LINES.martha, `worse ${index}`))
          : hub.receive(inbound(`+4477009010${String(index).padStart(2, '0')}`, LINES.pals, `parking ${index}`)),
      ),
    );
    const marthaCases = new Set(received.filter((_, index) => index % 2 === 0).map((result) => result.caseId));
    const palsCases = new Set(received.filter((_, index) => index % 2 === 1).map((result) => result.caseId));
    const last = received.at(-1)!.caseId;
    await admin!.waitFor((event) => event.case.id === last);
    await pals!.waitFor((event) => event.case.id === last);
    await outreach1!.waitFor((event) => marthaCases.has(event.case.id) && event.case.id === received.at(-2)!.caseId);
    await outreach2!.waitFor((event) => event.case.id === received.at(-2)!.caseId);

    for (const desk of desks.open) {
      const seqs = packets.get(desk)!.flat().map((event) => event.seq);
      expect(seqs, 'each desk sees its events in increasing seq order, across and within packets').toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(packets.get(desk)!.every((packet) => packet.length > 0)).toBe(true);
    }
    const adminEvents = packets.get(admin!)!.flat();
    expect(adminEvents).toHaveLength(20);
    expect(packets.get(admin!)!.length, 'twenty writes that arrived together are not twenty packets').toBeLessThan(20);
    for (const desk of [outreach1!, outreach2!]) {
      const events = packets.get(desk)!.flat();
      expect(events.map((event) => event.case.id).sort()).toEqual([...marthaCases].sort());
    }
    expect(
      packets
        .get(pals!)!
        .flat()
        .map((event) => event.case.id)
        .sort(),
    ).toEqual([...palsCases].sort());
    // Two desks of one scope receive the very same packets.
    expect(packets.get(outreach1!)).toEqual(packets.get(outreach2!));
  });

  it('keeps serving a scope while any of its desks is connected, and serves it again after all had gone', async () => {
    // The one that leaves is closed by the test itself, so it is not one of `desks`.
    const [leaving, staying] = await Promise.all([connectDesk(hub, 'pals1'), desks.connect('pals1')]);
    leaving.close();
    await vi.waitFor(() => expect(hub.io.of('/').sockets.size).toBe(1));
    const whileOne = await hub.receive(inbound('+447700901100', LINES.pals, 'one desk left'));
    await staying.waitFor((event) => event.case.id === whileOne.caseId);

    staying.close();
    await vi.waitFor(() => expect(hub.io.of('/').sockets.size).toBe(0));
    await hub.receive(inbound('+447700901101', LINES.pals, 'nobody is watching'));
    const returning = await desks.connect('pals1');
    const afterAll = await hub.receive(inbound('+447700901102', LINES.pals, 'someone is back'));
    await returning.waitFor((event) => event.case.id === afterAll.caseId);
    expect(returning.events.map((event) => event.case.id)).toEqual([afterAll.caseId]);
  });
});
