// Receipts that overtake the send: a carrier may post a receipt for a message before the hub has committed the
// carrier's id from the API's answer (group commit, a busy hub), and the receipt then matches nothing. Such receipts
// are held in the store (table early_receipts), in the very transaction that found their message unknown, and the
// carrier is answered only after that commit (invariant 1). The sender applies them as soon as it has recorded the id;
// should that fail (the store, briefly), the hub's periodic sweep applies them instead, as the hub does once at start.
// They must survive a restart: a `failed` is the last receipt a carrier sends, so losing one would lose a failure staff
// must see and, for Twilio 21610, an opt-out Clarion must record.
//
// Receipts for messages another system sent on the same account are held too (nothing tells them apart), so the table
// is bounded: by age, and by how many message ids it holds, the oldest dropped first.
import type { Kysely } from 'kysely';
import { DeliveryStatusSchema, type DeliveryStatus } from '../../shared/inbound';
import { applyReceipt, type ReceiptOutcome } from '../intake/delivery-receipts';
import type { Logger } from '../observability/logger';
import type { Store } from '../store/open-store';
import type { Database, EarlyReceiptRow } from '../store/schema';
import type { WriteUnit } from '../store/write-queue';

export interface EarlyReceiptOptions {
  /** Message ids held at most; the one held longest is dropped first. @default 1000 */
  maxHeld?: number;
  /** Receipts held longer than this are dropped. @default 600_000 (10 minutes) */
  maxAgeMs?: number;
  log?: Logger;
}

export class EarlyReceipts {
  private readonly maxHeld: number;
  private readonly maxAgeMs: number;
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly options: EarlyReceiptOptions = {},
  ) {
    this.maxHeld = options.maxHeld ?? 1000;
    this.maxAgeMs = options.maxAgeMs ?? 600_000;
  }

  /** Applies a receipt; one for a message not (yet) known is stored for `release`, in the same transaction. */
  apply(status: DeliveryStatus): Promise<ReceiptOutcome> {
    return this.store.writes.run(async (unit) => {
      const outcome = await applyReceipt(unit, status);
      if (outcome === 'unknown_message') await this.hold(unit, status);
      return outcome;
    });
  }

  /** Called once the sender has committed a carrier id: applies what arrived for it early, in arrival order. */
  async release(provider: string, providerMessageId: string): Promise<void> {
    // Almost every send has nothing held, and a read settles that without a write transaction. It cannot miss a hold:
    // the id is committed, so a receipt whose transaction began after that commit found the message and was applied,
    // and one that was held committed before — writes are serialised, on PostgreSQL across hubs too (write-queue.ts).
    if (!(await isHeld(this.store.db, provider, providerMessageId))) return;
    await this.store.writes.run(async (unit) => this.applyHeld(unit, await heldFor(unit.trx, provider, providerMessageId)));
  }

  /**
   * At start: applies what is held for messages that are known by now. The sender may have committed an id and then
   * stopped (a crash, a restart) before its `release` ran; nothing else would ever apply those receipts. Their age does
   * not matter: they are for our own messages.
   */
  async releaseKnown(): Promise<void> {
    // Nearly always there is nothing (the sweep runs this every half minute), and a read settles that without a write
    // transaction. Whatever it misses was held for an id committed after it: that sender's release, or the next sweep,
    // applies it.
    if ((await heldForKnown(this.store.db).limit(1).executeTakeFirst()) === undefined) return;
    await this.store.writes.run(async (unit) => this.applyHeld(unit, await heldForKnown(unit.trx).execute()));
  }

  /**
   * Runs `releaseKnown` every `intervalMs` (0: never), for receipts a sender's `release` did not apply: it failed after
   * the id was committed (a fault in the store), and the send is not retried for that. One sweep at a time; a failed
   * one is logged, and the next tries again.
   */
  startSweeping(intervalMs: number): void {
    if (intervalMs <= 0 || this.sweepTimer !== undefined || this.stopped) return;
    const sweep = (): void => {
      this.sweeping = this.releaseKnown()
        .catch((error: unknown) => this.options.log?.error({ err: error }, '[receipts] sweep failed'))
        .finally(() => {
          if (!this.stopped) this.sweepTimer = setTimeout(sweep, intervalMs).unref();
        });
    };
    this.sweepTimer = setTimeout(sweep, intervalMs).unref();
  }

  /** Stops the sweep, after the one in progress (if any) has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.sweepTimer);
    await this.sweeping;
  }

  /** How many message ids have receipts held. */
  async heldIds(): Promise<number> {
    return countHeldIds(this.store.db);
  }

  private async hold(unit: WriteUnit, status: DeliveryStatus): Promise<void> {
    await unit.trx.deleteFrom('early_receipts').where('received_at', '<', unit.now - this.maxAgeMs).execute();
    if (!(await isHeld(unit.trx, status.provider, status.providerMessageId))) await this.makeRoomForOneMore(unit);
    await unit.trx
      .insertInto('early_receipts')
      .values({ provider: status.provider, provider_message_id: status.providerMessageId, receipt: JSON.stringify(status), received_at: unit.now })
      .execute();
  }

  /**
   * Drops the ids held longest until one more fits. Counting the ids reads the whole (provider, id) index, which the
   * bounds keep to about `maxHeld` ids; it is done only when a receipt brings a new id, not for its later receipts.
   */
  private async makeRoomForOneMore(unit: WriteUnit): Promise<void> {
    const excess = (await countHeldIds(unit.trx)) - this.maxHeld + 1;
    for (let dropped = 0; dropped < excess; dropped += 1) {
      // The lowest row id is the first receipt of the id that has been held longest.
      const oldest = await unit.trx.selectFrom('early_receipts').select(['provider', 'provider_message_id']).orderBy('id').limit(1).executeTakeFirst();
      if (oldest === undefined) return;
      await unit.trx.deleteFrom('early_receipts').where('provider', '=', oldest.provider).where('provider_message_id', '=', oldest.provider_message_id).execute();
    }
  }

  /**
   * Applies held rows in the order given and deletes those that are done, in the caller's transaction: a crash cannot
   * separate the two, so nothing is lost and nothing applied twice (which would be harmless anyway: monotonic).
   */
  private async applyHeld(unit: WriteUnit, rows: readonly EarlyReceiptRow[]): Promise<void> {
    const done: number[] = [];
    for (const row of rows) {
      const status = this.read(row);
      if (status === undefined || (await applyReceipt(unit, status)) !== 'unknown_message') done.push(row.id);
    }
    if (done.length > 0) await unit.trx.deleteFrom('early_receipts').where('id', 'in', done).execute();
  }

  /** The row's receipt, checked again: it comes back from a file, which an older hub or a person may have written. */
  private read(row: EarlyReceiptRow): DeliveryStatus | undefined {
    let json: unknown;
    try {
      json = JSON.parse(row.receipt);
    } catch {
      json = undefined;
    }
    const parsed = DeliveryStatusSchema.safeParse(json);
    if (parsed.success) return parsed.data;
    // It could never be applied: dropped (by its caller), and said so.
    this.options.log?.warn({ provider: row.provider, providerMessageId: row.provider_message_id }, '[receipts] held receipt dropped: it no longer validates');
    return undefined;
  }
}

/** Held receipts for outbound messages Clarion knows, in the order they arrived. */
function heldForKnown(db: Kysely<Database>) {
  return db
    .selectFrom('early_receipts as held')
    .innerJoin('messages', (join) => join.onRef('messages.provider', '=', 'held.provider').onRef('messages.provider_message_id', '=', 'held.provider_message_id'))
    .where('messages.direction', '=', 'outbound')
    .selectAll('held')
    .orderBy('held.id');
}

function heldFor(db: Kysely<Database>, provider: string, providerMessageId: string): Promise<EarlyReceiptRow[]> {
  return db.selectFrom('early_receipts').selectAll().where('provider', '=', provider).where('provider_message_id', '=', providerMessageId).orderBy('id').execute();
}

async function isHeld(db: Kysely<Database>, provider: string, providerMessageId: string): Promise<boolean> {
  const row = await db.selectFrom('early_receipts').select('id').where('provider', '=', provider).where('provider_message_id', '=', providerMessageId).limit(1).executeTakeFirst();
  return row !== undefined;
}

async function countHeldIds(db: Kysely<Database>): Promise<number> {
  const ids = db.selectFrom('early_receipts').select(['provider', 'provider_message_id']).groupBy(['provider', 'provider_message_id']);
  const { count } = await db.selectFrom(ids.as('ids')).select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirstOrThrow();
  // PostgreSQL's count is int8: a number only through the pool's type parser (open-store.ts).
  return Number(count);
}
