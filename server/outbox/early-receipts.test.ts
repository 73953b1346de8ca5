// Receipts that overtake the send, against a real hub on a real store (a SQLite file, and PostgreSQL when it is there):
// signed Twilio status callbacks over HTTP, the outbox sending to a local stand-in for Twilio's API, and restarts on
// the same data. Time is a ManualClock.
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UserView } from '../../shared/domain';
import { DeliveryStatusSchema, type DeliveryStatus } from '../../shared/inbound';
import { ManualClock } from '../clock';
import type { Hub, HubOptions } from '../hub';
import { createLogger } from '../observability/logger';
import { twilioSignature } from '../simulator/signing';
import { addStaff, commandId, inbound, LINES, removeDir, startHub, tempDataDir } from '../testing/hub-harness';
import { freshDatabase, postgres } from '../testing/services';
import { outboundCarriers } from './carrier-clients';
import { EarlyReceipts } from './early-receipts';
import { fakeCarrierConfig, TWILIO_ACCOUNT_SID, TWILIO_SEND } from './fake-carrier-apis';
import { useFakeCarrierApis } from './use-fake-carrier-apis';
import { OutboxSender } from './outbox-sender';

const T0 = Date.UTC(2026, 10, 27, 9, 30);
const PATIENT = '+447700900461';
const TWILIO_AUTH_TOKEN = 'twilio-auth-token-0123456789abcdef';
const STATUS_URL = 'https://clarion.example.nhs.uk/webhooks/twilio/status';
const OPT_OUT_SOURCE = 'carrier twilio (Twilio error 21610)';

const pgService = await postgres();

const apis = useFakeCarrierApis();

const sid = (n: number) => 'SM' + String(n).padStart(32, '0');

describe.each(['SQLite', 'PostgreSQL'] as const)('receipts that overtake the send, held in the store (%s)', (storeName) => {
  const skip = storeName === 'PostgreSQL' && pgService.url === undefined;
  let hub: Hub;
  let clock: ManualClock;
  let staff: UserView;
  let hubOptions: HubOptions;
  let dropDatabase: () => Promise<void>;

  async function start(): Promise<void> {
    hub = await startHub(hubOptions);
  }

  /** Closes the hub and starts another on the same data, as a restart or a crash and a restart would. */
  async function restart(): Promise<void> {
    await hub.close();
    await start();
  }

  afterEach(async () => {
    if (skip) return;
    await hub.close();
    removeDir(hub.config.dataDir);
    await dropDatabase();
  });

  async function setup(extra: Partial<HubOptions> = {}): Promise<void> {
    apis.reset();
    clock = new ManualClock(T0);
    const dataDir = tempDataDir();
    const database = storeName === 'PostgreSQL' ? await freshDatabase(pgService.url!) : undefined;
    dropDatabase = async () => database?.drop();
    hubOptions = {
      dataDir,
      ...(database === undefined ? {} : { databaseUrl: database.url }),
      clock,
      carriers: fakeCarrierConfig(apis, dataDir, ['twilio']),
      escalationTimer: false,
      outbox: { autoStart: false, random: () => 0.5 },
      ...extra,
    };
    await start();
    staff = await addStaff(hub, 'sam', 'outreach');
  }

  /** A staff reply to the patient, queued in the outbox and not sent yet. */
  async function queuedReply(): Promise<{ caseId: string; messageId: string }> {
    const { caseId } = await hub.receive(inbound(PATIENT, LINES.martha, 'When is visiting time?'));
    const { version } = await hub.store.db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(await hub.commands.execute('reply', staff, { commandId: commandId(), caseId, version, body: 'Visiting is 2pm to 8pm.' })).toMatchObject({ ok: true });
    const message = await hub.store.db.selectFrom('messages').select('id').where('case_id', '=', caseId).where('direction', '=', 'outbound').executeTakeFirstOrThrow();
    return { caseId, messageId: message.id };
  }

  /** Twilio's status callback for `sid`, signed as Twilio signs it; resolves to the hub's HTTP answer. */
  async function statusCallback(messageSid: string, messageStatus: string, errorCode = ''): Promise<number> {
    const params: [string, string][] = [
      ['MessageSid', messageSid],
      ['MessageStatus', messageStatus],
      ['AccountSid', TWILIO_ACCOUNT_SID],
      ['To', PATIENT],
      ['ApiVersion', '2010-04-01'],
      ['ErrorCode', errorCode],
    ];
    const response = await fetch(`${hub.url}/webhooks/twilio/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(TWILIO_AUTH_TOKEN, STATUS_URL, params) },
      body: new URLSearchParams(params).toString(),
    });
    return response.status;
  }

  /** Twilio's API takes the next send and answers with this SID. */
  function twilioAnswersWith(messageSid: string): void {
    apis.override((call) => (call.method === 'POST' && TWILIO_SEND.test(call.path) ? { status: 201, json: { sid: messageSid, status: 'queued', account_sid: TWILIO_ACCOUNT_SID } } : undefined));
  }

  async function held(): Promise<{ sid: string; state: string; receivedAt: number }[]> {
    const rows = await hub.store.db.selectFrom('early_receipts').select(['provider_message_id', 'receipt', 'received_at']).orderBy('id').execute();
    return rows.map((row) => ({ sid: row.provider_message_id, state: DeliveryStatusSchema.parse(JSON.parse(row.receipt)).state, receivedAt: row.received_at }));
  }

  function message(messageId: string) {
    return hub.store.db.selectFrom('messages').select(['provider_message_id', 'delivery_state', 'delivery_error']).where('id', '=', messageId).executeTakeFirstOrThrow();
  }

  function consents() {
    return hub.store.db.selectFrom('consents').select(['channel', 'status', 'source']).orderBy('channel').execute();
  }

  const optedOutEverywhere = ['rcs', 'sms', 'whatsapp'].map((channel) => ({ channel, status: 'opted_out', source: OPT_OUT_SOURCE }));

  function receipt(messageSid: string, state: DeliveryStatus['state'] = 'delivered'): DeliveryStatus {
    return { provider: 'twilio', providerMessageId: messageSid, state, providerStatus: state, occurredAt: clock.now() };
  }

  describe.skipIf(skip)('through the hub', () => {
    it('stores a receipt for a SID it has no record of before answering Twilio, and answers 503 when it cannot', async () => {
      await setup();
      expect(await statusCallback(sid(1), 'failed', '21610')).toBe(204);
      const [row, ...more] = await hub.store.db.selectFrom('early_receipts').selectAll().execute();
      expect(more).toEqual([]);
      expect(row).toMatchObject({ provider: 'twilio', provider_message_id: sid(1), received_at: T0 });
      expect(JSON.parse(row?.receipt ?? 'null')).toEqual({
        provider: 'twilio',
        providerMessageId: sid(1),
        state: 'failed',
        providerStatus: 'failed',
        errorCode: '21610',
        retryable: false,
        fallbackSuggested: false,
        occurredAt: T0,
      });
      // Nothing is recorded for a message Clarion does not know, opt-out included.
      expect(await consents()).toEqual([]);

      // Where the receipt cannot be stored, Twilio is not told it was: it retries, and the retry is held.
      await sql`alter table early_receipts rename to early_receipts_away`.execute(hub.store.db);
      expect(await statusCallback(sid(2), 'delivered')).toBe(503);
      await sql`alter table early_receipts_away rename to early_receipts`.execute(hub.store.db);
      expect(await statusCallback(sid(2), 'delivered')).toBe(204);
      expect((await held()).map((entry) => entry.sid)).toEqual([sid(1), sid(2)]);
    });

    it('applies a failed 21610 held before a restart once the sender records the SID after it: failure and opt-out', async () => {
      await setup();
      const { messageId } = await queuedReply();
      // From the hub's side a callback that overtakes the API's answer is one for a SID it has no record of; posted
      // before the send, it lets the hub restart while the receipt is held (a send in flight would hold up the close).
      expect(await statusCallback(sid(3), 'failed', '21610')).toBe(204);
      await restart();
      expect(await held()).toEqual([{ sid: sid(3), state: 'failed', receivedAt: T0 }]);

      twilioAnswersWith(sid(3));
      expect([...(await hub.outbox.runDue()).values()]).toEqual(['sent']);
      expect(await message(messageId)).toEqual({
        provider_message_id: sid(3),
        delivery_state: 'failed',
        delivery_error: expect.stringContaining('opted out with the carrier (Twilio error 21610; they replied STOP to it)'),
      });
      expect(await consents()).toEqual(optedOutEverywhere);
      expect(await held()).toEqual([]);
    });

    it('applies at start what is held for a SID committed before a restart whose release never ran', async () => {
      await setup();
      const { caseId, messageId } = await queuedReply();
      expect(await statusCallback(sid(4), 'failed', '21610')).toBe(204);
      // The sender commits the SID and stops before releasing what is held for it (here: it has nothing to release to).
      const sender = new OutboxSender(hub.store, { clock, carriers: outboundCarriers(hub.carriers, clock), random: () => 0.5 });
      twilioAnswersWith(sid(4));
      expect([...(await sender.runDue()).values()]).toEqual(['sent']);
      expect(await message(messageId)).toMatchObject({ provider_message_id: sid(4), delivery_state: 'accepted' });

      // Down for longer than receipts for unknown messages are kept: this one is for a message Clarion now knows.
      clock.advance(15 * 60_000);
      await restart();
      expect(await message(messageId)).toMatchObject({ delivery_state: 'failed', delivery_error: expect.stringContaining('Twilio error 21610') });
      expect(await consents()).toEqual(optedOutEverywhere);
      const audited = await hub.store.db.selectFrom('audit').select(['action', 'at']).where('case_id', '=', caseId).where('action', 'in', ['delivery.updated', 'consent.opted_out']).orderBy('id').execute();
      expect(audited).toEqual([
        { action: 'delivery.updated', at: T0 + 15 * 60_000 },
        { action: 'consent.opted_out', at: T0 + 15 * 60_000 },
      ]);
      expect(await held()).toEqual([]);
    });

    it('applies a receipt whose release failed after the send on the next sweep, without a restart', async () => {
      const logged: { component?: string; level: number; msg: string }[] = [];
      const logger = createLogger('info', { write: (line: string) => void logged.push(JSON.parse(line) as (typeof logged)[number]) });
      await setup({ logger, earlyReceipts: { sweepIntervalMs: 20 } });
      const { messageId } = await queuedReply();
      expect(await statusCallback(sid(7), 'failed', '21610')).toBe(204);

      // The store fails the release (as a transient fault would), after the sender has committed the SID.
      await sql`alter table early_receipts rename to early_receipts_away`.execute(hub.store.db);
      twilioAnswersWith(sid(7));
      // The send happened and is recorded: its outcome says so, and the log says what did not happen.
      expect([...(await hub.outbox.runDue()).values()]).toEqual(['sent']);
      expect(await message(messageId)).toMatchObject({ provider_message_id: sid(7), delivery_state: 'accepted' });
      const outboxLines = logged.filter((line) => line.component === 'outbox');
      expect(outboxLines.map((line) => line.msg)).not.toContain('[outbox] send failed unexpectedly');
      expect(outboxLines).toContainEqual(expect.objectContaining({ level: 40, msg: expect.stringContaining('the sweep will apply them') }));
      // The sweep fails too while the fault lasts: logged, and it keeps sweeping.
      await vi.waitFor(() => expect(logged.filter((line) => line.msg === '[receipts] sweep failed').length).toBeGreaterThan(1));

      await sql`alter table early_receipts_away rename to early_receipts`.execute(hub.store.db);
      await vi.waitFor(async () => expect(await held()).toEqual([]));
      expect(await message(messageId)).toEqual({
        provider_message_id: sid(7),
        delivery_state: 'failed',
        delivery_error: expect.stringContaining('opted out with the carrier (Twilio error 21610; they replied STOP to it)'),
      });
      expect(await consents()).toEqual(optedOutEverywhere);

      // Closing the hub stops the sweep: nothing runs against the closed store.
      await hub.close();
      const linesAtClose = logged.length;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(logged.slice(linesAtClose)).toEqual([]);
    });

    it('sweeps with a read alone while nothing held is for a message it knows', async () => {
      await setup();
      const { messageId } = await queuedReply();
      const receipts = new EarlyReceipts(hub.store);
      // For a message another system sent on the same account, as far as the hub can tell.
      expect(await receipts.apply(receipt(sid(8)))).toBe('unknown_message');
      let writes = 0;
      hub.store.writes.observe({ transaction: () => {}, sync: () => {}, write: () => void (writes += 1) });
      await receipts.releaseKnown();
      await receipts.releaseKnown();
      expect(writes).toBe(0);
      expect(await held()).toHaveLength(1);

      // Once the message is known, the sweep applies what is held for it.
      twilioAnswersWith(sid(8));
      await new OutboxSender(hub.store, { clock, carriers: outboundCarriers(hub.carriers, clock), random: () => 0.5 }).runDue();
      await receipts.releaseKnown();
      expect(await message(messageId)).toMatchObject({ provider_message_id: sid(8), delivery_state: 'delivered' });
      expect(await held()).toEqual([]);
    });

    it('applies several receipts held for one SID in the order they arrived, then deletes them', async () => {
      await setup();
      const { caseId, messageId } = await queuedReply();
      for (const status of ['sent', 'delivered', 'failed']) {
        expect(await statusCallback(sid(5), status, status === 'failed' ? '30003' : '')).toBe(204);
        clock.advance(1_000);
      }
      expect((await held()).map((entry) => entry.state)).toEqual(['sent', 'delivered', 'failed']);

      twilioAnswersWith(sid(5));
      await hub.outbox.runDue();
      // In arrival order: sent, then delivered, and the failure after the delivery is noise. Applied the other way
      // round, the failure would have been recorded first and then overturned.
      const updates = await hub.store.db.selectFrom('audit').select('detail').where('case_id', '=', caseId).where('action', '=', 'delivery.updated').orderBy('id').execute();
      expect(updates.map((row) => (JSON.parse(row.detail) as { to: string }).to)).toEqual(['sent', 'delivered']);
      expect(await message(messageId)).toMatchObject({ delivery_state: 'delivered', delivery_error: null });
      expect(await held()).toEqual([]);
      expect(await consents()).toEqual([]);
    });

    it('drops a held row that no longer validates, and applies the valid ones beside it', async () => {
      await setup();
      const { messageId } = await queuedReply();
      twilioAnswersWith(sid(6));
      await hub.outbox.runDue();
      // Rows as a careless hand or an older hub might have left them: the sender's next release reads both.
      await hub.store.db
        .insertInto('early_receipts')
        .values([
          { provider: 'twilio', provider_message_id: sid(6), receipt: JSON.stringify({ ...receipt(sid(6)), state: 'vanished' }), received_at: T0 },
          { provider: 'twilio', provider_message_id: sid(6), receipt: '{"provider":', received_at: T0 },
          { provider: 'twilio', provider_message_id: sid(6), receipt: JSON.stringify(receipt(sid(6), 'read')), received_at: T0 },
        ])
        .execute();
      await new EarlyReceipts(hub.store).release('twilio', sid(6));
      expect(await message(messageId)).toMatchObject({ delivery_state: 'read' });
      expect(await held()).toEqual([]);
    });
  });

  describe.skipIf(skip)('bounds', () => {
    it('drops receipts held longer than maxAgeMs when the next one is held', async () => {
      await setup();
      const receipts = new EarlyReceipts(hub.store, { maxAgeMs: 60_000 });
      expect(await receipts.apply(receipt(sid(10)))).toBe('unknown_message');
      clock.advance(30_000);
      await receipts.apply(receipt(sid(11)));
      await receipts.apply(receipt(sid(10), 'read'));
      clock.advance(30_000);
      // Exactly maxAgeMs old is still held.
      await receipts.apply(receipt(sid(12)));
      expect((await held()).map((entry) => entry.sid)).toEqual([sid(10), sid(11), sid(10), sid(12)]);
      clock.advance(1);
      await receipts.apply(receipt(sid(13)));
      expect(await held()).toEqual([
        { sid: sid(11), state: 'delivered', receivedAt: T0 + 30_000 },
        { sid: sid(10), state: 'read', receivedAt: T0 + 30_000 },
        { sid: sid(12), state: 'delivered', receivedAt: T0 + 60_000 },
        { sid: sid(13), state: 'delivered', receivedAt: T0 + 60_001 },
      ]);
    });

    it('holds at most maxHeld message ids, dropping every receipt of the one held longest', async () => {
      await setup();
      const receipts = new EarlyReceipts(hub.store, { maxHeld: 3 });
      await receipts.apply(receipt(sid(20), 'sent'));
      await receipts.apply(receipt(sid(21)));
      await receipts.apply(receipt(sid(20), 'delivered'));
      await receipts.apply(receipt(sid(22)));
      expect(await receipts.heldIds()).toBe(3);
      // A later receipt for an id already held takes no room.
      await receipts.apply(receipt(sid(22), 'read'));
      expect(await receipts.heldIds()).toBe(3);
      // A new id does: the id held longest goes, though it had a receipt since.
      await receipts.apply(receipt(sid(23)));
      expect(await receipts.heldIds()).toBe(3);
      expect((await held()).map((entry) => `${entry.sid.slice(-2)} ${entry.state}`)).toEqual(['21 delivered', '22 delivered', '22 read', '23 delivered']);

      // A smaller bound (the hub restarted with another setting) is met at the next new id.
      await new EarlyReceipts(hub.store, { maxHeld: 1 }).apply(receipt(sid(24)));
      expect((await held()).map((entry) => entry.sid)).toEqual([sid(24)]);
    });
  });
});
