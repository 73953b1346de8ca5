// Receipts that overtake the send: a carrier may post `sent` for a message before the hub has committed the carrier's
// id from the API's answer (group commit, a busy hub), and the receipt then matches nothing. Such receipts are held
// here for a while, in memory and bounded, and applied as soon as the sender records that id. Losing them in a
// restart costs a tick mark, never a message: a later receipt still applies.
import type { DeliveryStatus } from '../../shared/inbound';
import type { Clock } from '../clock';
import { applyDeliveryStatus, type ReceiptOutcome } from '../intake/delivery-receipts';
import type { Store } from '../store/open-store';

export interface EarlyReceiptOptions {
  /** @default 1000 */
  maxHeld?: number;
  /** @default 600_000 (10 minutes) */
  maxAgeMs?: number;
}

export class EarlyReceipts {
  private readonly held = new Map<string, { statuses: DeliveryStatus[]; heldAt: number }>();
  private readonly maxHeld: number;
  private readonly maxAgeMs: number;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    options: EarlyReceiptOptions = {},
  ) {
    this.maxHeld = options.maxHeld ?? 1000;
    this.maxAgeMs = options.maxAgeMs ?? 600_000;
  }

  /** Applies a receipt; one for a message not (yet) known is held for `release`. */
  async apply(status: DeliveryStatus): Promise<ReceiptOutcome> {
    const outcome = await applyDeliveryStatus(this.store, status);
    if (outcome !== 'unknown_message') return outcome;
    this.hold(status);
    // The id may have been committed between the first try and the hold: try once more, so no interleaving of this
    // and `release` leaves the receipt stranded. Applying twice is harmless (receipts apply monotonically).
    const retried = await applyDeliveryStatus(this.store, status);
    if (retried !== 'unknown_message') this.held.delete(keyOf(status.provider, status.providerMessageId));
    return retried;
  }

  /** Called once the sender has committed a carrier id: applies what arrived for it early. */
  async release(provider: string, providerMessageId: string): Promise<void> {
    const key = keyOf(provider, providerMessageId);
    const entry = this.held.get(key);
    if (entry === undefined) return;
    this.held.delete(key);
    for (const status of entry.statuses) await applyDeliveryStatus(this.store, status);
  }

  get size(): number {
    return this.held.size;
  }

  private hold(status: DeliveryStatus): void {
    const now = this.clock.now();
    for (const [key, entry] of this.held) if (now - entry.heldAt > this.maxAgeMs) this.held.delete(key);
    const key = keyOf(status.provider, status.providerMessageId);
    const entry = this.held.get(key);
    if (entry !== undefined) {
      entry.statuses.push(status);
      return;
    }
    // Receipts for messages sent by other systems on the same account would otherwise pile up: keep the newest.
    if (this.held.size >= this.maxHeld) {
      const oldest = this.held.keys().next();
      if (oldest.done !== true) this.held.delete(oldest.value);
    }
    this.held.set(key, { statuses: [status], heldAt: now });
  }
}

function keyOf(provider: string, providerMessageId: string): string {
  return `${provider}\u0000${providerMessageId}`;
}
