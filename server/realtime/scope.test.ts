import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Hub } from '../hub';
import { addStaff, DeskSet, inbound, LINES, startHub, stopHub } from '../testing/hub-harness';

describe('a message reaches exactly the desks in scope', () => {
  let hub: Hub;
  const desks = new DeskSet(() => hub);

  beforeEach(async () => {
    // No escalation timers: the PALS ladder's first step is due at once, and its alert would race the exact event lists below.
    hub = await startHub({ escalationTimer: false });
    await addStaff(hub, 'outreach1', 'outreach');
    await addStaff(hub, 'nurse1', 'ward_nurse', ['W1']);
    await addStaff(hub, 'nurse2', 'ward_nurse', ['W2']);
    await addStaff(hub, 'pals1', 'pals_officer');
    await addStaff(hub, 'admin1', 'admin');
  });

  afterEach(() => stopHub(hub, desks));

  it("routes a Martha's Rule call to outreach and admin desks only", async () => {
    const [outreach, nurse, pals, admin] = await Promise.all(['outreach1', 'nurse1', 'pals1', 'admin1'].map((name) => desks.connect(name)));

    const received = await hub.receive(inbound('+447700900456', LINES.martha, 'My dad is getting worse, please come'));
    const seen = await outreach!.waitFor((event) => event.case.id === received.caseId);
    await admin!.waitFor((event) => event.case.id === received.caseId);
    expect(seen.type).toBe('case.opened');
    expect(seen.case).toMatchObject({ queueId: 'outreach', priority: 1, category: 'martha_rule', status: 'open' });
    expect(seen.message?.body).toBe('My dad is getting worse, please come');

    // A later event every desk in the hub receives proves the others had their chance to see the first one.
    const palsCase = await hub.receive(inbound('+447700900457', LINES.pals, 'Where do I park?'));
    await pals!.waitFor((event) => event.case.id === palsCase.caseId);
    await admin!.waitFor((event) => event.case.id === palsCase.caseId);
    expect(nurse!.events).toEqual([]);
    expect(pals!.events.map((event) => event.case.id)).toEqual([palsCase.caseId]);
    expect(outreach!.events.map((event) => event.case.id)).toEqual([received.caseId]);
  });

  it('keeps ward queues to the nurses of that ward, and sends unknown senders to triage', async () => {
    const [nurse1, nurse2] = await Promise.all([desks.connect('nurse1'), desks.connect('nurse2')]);
    const triaged = await hub.receive(inbound('+447700900458', LINES.ward, 'Can I bring flowers?'));
    const event1 = await nurse1.waitFor((event) => event.case.id === triaged.caseId);
    await nurse2.waitFor((event) => event.case.id === triaged.caseId);
    expect(event1.case.queueId).toBe('triage');

    // Nurse 1 moves it to ward 2: nurse 1 still hears of the move (the case left her sight), nurse 2 owns it now.
    const moved = await new Promise<unknown>((resolve) =>
      nurse1.socket.emit('triage', { commandId: crypto.randomUUID(), caseId: triaged.caseId, version: event1.case.version, queueId: 'ward-W2' }, resolve),
    );
    expect(moved).toMatchObject({ ok: true, case: { queueId: 'ward-W2' } });
    await nurse2.waitFor((event) => event.type === 'case.triaged');
    await nurse1.waitFor((event) => event.type === 'case.triaged');

    // From now on nurse 1 hears nothing of that case.
    await hub.receive(inbound('+447700900458', LINES.ward, 'Also, visiting hours?'));
    await nurse2.waitFor((event) => event.type === 'message.received');
    const other = await hub.receive(inbound('+447700900459', LINES.ward, 'hello'));
    await nurse1.waitFor((event) => event.case.id === other.caseId);
    expect(nurse1.events.filter((event) => event.type === 'message.received')).toEqual([]);
  });

  it('refuses a socket without a valid session', async () => {
    const { io } = await import('socket.io-client');
    const socket = io(hub.url, { auth: { token: 'not-a-token' }, transports: ['websocket'], reconnection: false, forceNew: true });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    socket.close();
    expect(error.message).toMatch(/unauthorized/);
  });
});
