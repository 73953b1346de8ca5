// The header's "to you" count follows the hub live for a reply not delivered: it counts the author's marked reply when
// the mark arrives, and drops when the mark is cleared — by a later reply delivered, or by a colleague dealing with it —
// without a reload. Real hub, the fake Twilio API, real desk stores.
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LINES, STAFF, TestHub } from '../../../e2e/support/hub';
import { DeskPool, until } from '../../../e2e/support/store-harness';
import { applyDeliveryStatus } from '../../../server/intake/delivery-receipts';
import { fakeCarrierConfig, startFakeCarrierApis, TWILIO_INVALID_NUMBER, TWILIO_SEND, type FakeCarrierApis } from '../../../server/outbox/fake-carrier-apis';
import type { RootStore } from './root-store';

const COLLEAGUE = { username: 'wren', password: 'another ward two pass', displayName: 'Wren Hale', role: 'ward_nurse' as const, wards: ['W2'] };

let apis: FakeCarrierApis;
let hub: TestHub;
/** While true Twilio refuses every send; otherwise the fake takes them. */
let refusing = true;
const desks = new DeskPool();

beforeEach(async () => {
  apis = await startFakeCarrierApis();
  refusing = true;
  apis.override((call) => (refusing && TWILIO_SEND.test(call.path) ? TWILIO_INVALID_NUMBER : undefined));
  hub = await TestHub.start(undefined, { carriers: fakeCarrierConfig(apis, tmpdir(), ['twilio']), outbox: { autoStart: false } });
  await hub.addUser(STAFF.nina);
  await hub.addUser(COLLEAGUE);
});

afterEach(async () => {
  desks.disposeAll();
  try {
    await hub.stop();
  } finally {
    await apis.close();
  }
});

/** Nina answers a family and the carrier refuses it: her count goes to 1 on the mark's event. */
async function undeliveredReply(nina: RootStore, from: string): Promise<string> {
  const { caseId } = await hub.receive(from, LINES.ward, 'Can I bring his glasses in tonight?');
  await until(() => nina.cases.get(caseId) !== undefined, 'case on the desk');
  expect(await nina.cases.reply(caseId, 'Yes, leave them at the nurses station.')).toBe(true);
  expect([...(await hub.hub.outbox.runDue()).values()]).toEqual(['failed']);
  await until(() => nina.cases.get(caseId)?.replyUndelivered != null, 'mark on the desk');
  await until(() => nina.alertCounts.mine === 1, 'the marked reply counted for its author');
  return caseId;
}

describe('the "to you" count and a reply not delivered', () => {
  it('drops, live, when a later reply on the case is delivered', async () => {
    const nina = await desks.signIn(hub.url, STAFF.nina, { alertCountsDebounceMs: 50 });
    const caseId = await undeliveredReply(nina, '+447700900871');

    refusing = false;
    expect(await nina.cases.reply(caseId, 'Or bring them at visiting time.')).toBe(true);
    await hub.hub.outbox.runDue();
    const sent = await hub.hub.store.db
      .selectFrom('messages')
      .select('provider_message_id')
      .where('case_id', '=', caseId)
      .where('direction', '=', 'outbound')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    if (sent.provider_message_id === null) throw new Error('the later reply was not sent');
    await applyDeliveryStatus(hub.hub.store, { provider: 'twilio', providerMessageId: sent.provider_message_id, state: 'delivered', providerStatus: 'delivered', occurredAt: Date.now() });
    await until(() => nina.cases.get(caseId)?.replyUndelivered == null, 'mark cleared on the desk');
    await until(() => nina.alertCounts.mine === 0, 'count follows the cleared mark');
  });

  it('drops, live, when a colleague deals with it', async () => {
    const nina = await desks.signIn(hub.url, STAFF.nina, { alertCountsDebounceMs: 50 });
    const wren = await desks.signIn(hub.url, COLLEAGUE, { alertCountsDebounceMs: 50 });
    const caseId = await undeliveredReply(nina, '+447700900872');
    await until(() => wren.cases.get(caseId)?.replyUndelivered != null, 'mark on the colleague’s desk');
    // Not hers: nothing is addressed to the colleague.
    await until(() => wren.alertCounts.loaded, 'colleague counts');
    expect(wren.alertCounts.mine).toBe(0);

    expect(await wren.cases.dismissUndelivered(caseId, 'Phoned the family')).toBe(true);
    await until(() => nina.alertCounts.mine === 0, 'count follows the dismissal');
  });
});
