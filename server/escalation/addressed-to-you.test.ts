// What is addressed to one user and not over, counted (`alerts:counts` → `mine`, the desk's "to you" count) by the rules
// that list it (`alerts:mine`, the tray a desk restores after sign-in): their replies not delivered, until a later reply
// is delivered or a colleague deals with it; and a page into a case someone had already acknowledged, until the case is
// resolved, its alert starts again or it moves. A real hub on a ManualClock, real socket.io desks, Twilio's API stood in
// for by the fake; on SQLite and, when it is reachable, PostgreSQL.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { UserView } from '../../shared/domain';
import type { CommandResult, DeskEvent } from '../../shared/protocol';
import { ManualClock } from '../clock';
import type { Hub } from '../hub';
import { applyDeliveryStatus } from '../intake/delivery-receipts';
import { fakeCarrierConfig, startFakeCarrierApis, TWILIO_INVALID_NUMBER, TWILIO_SEND, type FakeCarrierApis } from '../outbox/fake-carrier-apis';
import { addStaff, commandId, DeskSet, inbound, LINES, tempDataDir, type TestDesk } from '../testing/hub-harness';
import { postgres } from '../testing/services';
import { startHubOn, type StoreHub } from '../testing/test-stores';
import { addressedTo, advance, alertCounts, myAlerts, succeeded, JUNE_10_2026_10AM, MINUTE, send, setShift, testSite } from './escalation-testing';

const pgService = await postgres();

/** A reply's answer names the message it stored. */
function replied(result: CommandResult): { messageId: string } {
  const { messageId } = succeeded(result);
  if (messageId === undefined) throw new Error('a reply answered without its message');
  return { messageId };
}

describe.each(['SQLite', 'PostgreSQL'] as const)('addressed to you: counted as listed (%s)', (storeName) => {
  const skip = storeName === 'PostgreSQL' && pgService.url === undefined;
  let apis: FakeCarrierApis;
  let hub: Hub;
  let clock: ManualClock;
  let running: StoreHub;
  let nurse3: UserView;
  /** While true Twilio refuses every send; otherwise it takes them (the fake's own answer). */
  let refusing = true;
  const desks = new DeskSet(() => hub);

  beforeAll(async () => {
    if (!skip) apis = await startFakeCarrierApis();
  });
  afterAll(async () => {
    if (!skip) await apis.close();
  });

  beforeEach(async () => {
    if (skip) return;
    apis.reset();
    refusing = true;
    apis.override((call) => (refusing && TWILIO_SEND.test(call.path) ? TWILIO_INVALID_NUMBER : undefined));
    clock = new ManualClock(JUNE_10_2026_10AM);
    const dataDir = tempDataDir();
    running = await startHubOn(storeName, pgService.url, {
      dataDir,
      clock,
      site: testSite(),
      carriers: fakeCarrierConfig(apis, dataDir, ['twilio']),
      outbox: { autoStart: false },
    });
    hub = running.hub;
    await addStaff(hub, 'nurse1', 'ward_nurse', ['W1']);
    nurse3 = await addStaff(hub, 'nurse3', 'ward_nurse', ['W1']);
  });

  afterEach(async () => {
    if (!skip) await running.stop(desks);
  });

  /** A ward-line message lands in triage; the nurse moves it to ward 1's queue, whose ladder starts from there. */
  async function wardCase(nurse: TestDesk, from: string): Promise<DeskEvent['case']> {
    const { caseId } = await hub.receive(inbound(from, LINES.ward, 'Is my dad comfortable tonight?'));
    const opened = await nurse.waitFor((event) => event.case.id === caseId);
    return succeeded(await send(nurse, 'triage', { commandId: commandId(), caseId, version: opened.case.version, queueId: 'ward-W1' })).case;
  }

  describe.skipIf(skip)('replies not delivered', () => {
    it("counts this user's reply not delivered as the tray lists it, until a later reply is delivered or a colleague deals with it", async () => {
      const nurse1 = await desks.connect('nurse1');
      const colleague = await desks.connect('nurse3');
      await setShift(nurse1, true);

      // An escalation to nurse 1, still unacknowledged: one thing addressed to her.
      const escalatedCase = await wardCase(nurse1, '+447700900721');
      await advance(hub, clock, 2 * MINUTE);
      await nurse1.waitFor((event) => event.type === 'alert.escalated' && event.case.id === escalatedCase.id);
      expect(await addressedTo(nurse1)).toEqual({ listed: ['escalated'], mine: 1 });

      // Her reply on another case is refused by the carrier: the tray lists it, and the count says so too.
      let view = await wardCase(nurse1, '+447700900722');
      const caseId = view.id;
      const first = replied(await send(nurse1, 'reply', { commandId: commandId(), caseId, version: view.version, body: 'Yes, leave them at the desk.' }));
      clock.advance(MINUTE);
      expect([...(await hub.outbox.runDue()).values()]).toEqual(['failed']);
      view = (await nurse1.waitFor((event) => event.type === 'reply.undelivered' && event.case.replyUndelivered?.messageId === first.messageId)).case;
      expect(await addressedTo(nurse1)).toEqual({ listed: ['reply_undelivered', 'escalated'], mine: 2 });
      // Not the colleague's reply: nothing is addressed to her.
      expect(await addressedTo(colleague)).toEqual({ listed: [], mine: 0 });

      // A later reply reaches the family: the mark goes, and with it the count.
      refusing = false;
      const second = replied(await send(nurse1, 'reply', { commandId: commandId(), caseId, version: view.version, body: 'Or bring them at visiting.' }));
      clock.advance(MINUTE);
      await hub.outbox.runDue();
      const sent = await hub.store.db.selectFrom('messages').select('provider_message_id').where('id', '=', second.messageId).executeTakeFirstOrThrow();
      if (sent.provider_message_id === null) throw new Error('the second reply was not sent');
      expect(await applyDeliveryStatus(hub.store, { provider: 'twilio', providerMessageId: sent.provider_message_id, state: 'delivered', providerStatus: 'delivered', occurredAt: clock.now() })).toBe('applied');
      view = (await nurse1.waitFor((event) => event.type === 'delivery.updated' && event.message?.id === second.messageId && event.message?.deliveryState === 'delivered')).case;
      expect(view.replyUndelivered ?? null).toBeNull();
      expect(await addressedTo(nurse1)).toEqual({ listed: ['escalated'], mine: 1 });

      // Another of hers fails; the colleague phones the family and says so: the count drops with the tray.
      refusing = true;
      const third = replied(await send(nurse1, 'reply', { commandId: commandId(), caseId, version: view.version, body: 'We will ring you about it.' }));
      clock.advance(MINUTE);
      expect([...(await hub.outbox.runDue()).values()]).toEqual(['failed']);
      view = (await colleague.waitFor((event) => event.type === 'reply.undelivered' && event.case.replyUndelivered?.messageId === third.messageId)).case;
      expect(await addressedTo(nurse1)).toEqual({ listed: ['reply_undelivered', 'escalated'], mine: 2 });
      succeeded(await send(colleague, 'dismiss_undelivered', { commandId: commandId(), caseId, version: view.version, messageId: third.messageId, note: 'Phoned the family' }));
      expect(await addressedTo(nurse1)).toEqual({ listed: ['escalated'], mine: 1 });
    });
  });

  describe.skipIf(skip)('a page into a case already acknowledged', () => {
    it('is listed and counted for a colleague signed out when paged, through other work on the case, until the case is resolved', async () => {
      const nurse1 = await desks.connect('nurse1');
      const view = await wardCase(nurse1, '+447700900731');
      const acknowledged = succeeded(await send(nurse1, 'acknowledge', { commandId: commandId(), caseId: view.id, version: view.version })).case;
      clock.advance(MINUTE);
      succeeded(await send(nurse1, 'page', { commandId: commandId(), caseId: view.id, version: acknowledged.version, userIds: [nurse3.id] }));
      const paged = await nurse1.waitFor((event) => event.alert?.kind === 'paged' && event.case.id === view.id);

      // Nurse 3 signs in afterwards: the page is in her tray and her count, though no event reached her desk.
      const later = await desks.connect('nurse3');
      expect(await myAlerts(later)).toEqual({
        ok: true,
        alerts: [{ seq: paged.seq, caseId: view.id, ref: view.ref, queueId: 'ward-W1', kind: 'paged', level: 0, at: JUNE_10_2026_10AM + MINUTE }],
      });
      expect(await alertCounts(later)).toMatchObject({ ok: true, mine: 1 });

      // A note and half an hour change nothing: she was called in, and the case is still running.
      succeeded(await send(nurse1, 'note', { commandId: commandId(), caseId: view.id, version: acknowledged.version, body: 'Family on their way in.' }));
      await advance(hub, clock, 30 * MINUTE);
      expect(await addressedTo(later)).toEqual({ listed: ['paged'], mine: 1 });

      // Resolved: over for her, in the tray and the count.
      const current = await hub.store.db.selectFrom('cases').select('version').where('id', '=', view.id).executeTakeFirstOrThrow();
      succeeded(await send(nurse1, 'resolve', { commandId: commandId(), caseId: view.id, version: current.version, outcome: 'answered' }));
      expect(await addressedTo(later)).toEqual({ listed: [], mine: 0 });
    });

    it('ends when the case is handed back or moved to another queue (even back again), and a page the acknowledgement ended stays ended, in the same instant', async () => {
      const nurse1 = await desks.connect('nurse1');
      const later = await desks.connect('nurse3');
      const view = await wardCase(nurse1, '+447700900732');
      const caseId = view.id;
      const page = async (version: number) => succeeded(await send(nurse1, 'page', { commandId: commandId(), caseId, version, userIds: [nurse3.id] }));

      // Paged while open, then acknowledged at the same instant: the acknowledgement ended that page.
      await page(view.version);
      let acknowledged = succeeded(await send(nurse1, 'acknowledge', { commandId: commandId(), caseId, version: view.version })).case;
      expect(await addressedTo(later)).toEqual({ listed: [], mine: 0 });
      // Paged again, still at that instant, now into the acknowledged case: that one stands.
      await page(acknowledged.version);
      expect(await addressedTo(later)).toEqual({ listed: ['paged'], mine: 1 });

      // Handed back: the alert starts again from the ladder's first step, and the page is over.
      const reopened = succeeded(await send(nurse1, 'unacknowledge', { commandId: commandId(), caseId, version: acknowledged.version })).case;
      expect(await addressedTo(later)).toEqual({ listed: [], mine: 0 });

      // Acknowledged again and paged again, then moved to triage and back to the ward: over at the first move.
      clock.advance(MINUTE);
      acknowledged = succeeded(await send(nurse1, 'acknowledge', { commandId: commandId(), caseId, version: reopened.version })).case;
      await page(acknowledged.version);
      expect(await addressedTo(later)).toEqual({ listed: ['paged'], mine: 1 });
      const moved = succeeded(await send(nurse1, 'triage', { commandId: commandId(), caseId, version: acknowledged.version, queueId: 'triage' })).case;
      expect(moved.status).toBe('acknowledged');
      expect(await addressedTo(later)).toEqual({ listed: [], mine: 0 });
      succeeded(await send(nurse1, 'triage', { commandId: commandId(), caseId, version: moved.version, queueId: 'ward-W1' }));
      expect(await addressedTo(later)).toEqual({ listed: [], mine: 0 });
    });
  });
});
