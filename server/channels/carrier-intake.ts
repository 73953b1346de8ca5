// The seam between the carrier webhooks and the hub's store. The hub implements it; the webhooks
// answer a carrier only after these promises resolve, so "resolved" must mean "committed".
import type { DeliveryStatus, InboundMessage, SubscriptionChange } from '../../shared/inbound';

export interface CarrierIntake {
  /**
   * Stores the message (unique on provider + providerMessageId) and resolves after the commit.
   * A carrier's retry of a stored message resolves with `duplicate: true` and changes nothing.
   * Rejects when the message could not be stored, so the carrier is told to retry.
   */
  receive(message: InboundMessage): Promise<{ duplicate: boolean }>;
  /**
   * Records a delivery receipt for one of our outbound messages, applied monotonically (see
   * delivery-order.ts); resolves after the commit, rejects when it could not be recorded.
   */
  applyDeliveryStatus(status: DeliveryStatus): Promise<void>;
  /**
   * Records a contact's unsubscribe from (or re-subscribe to) one channel at the carrier, audited, and resolves after
   * the commit; the same event again changes nothing. Rejects when it could not be recorded.
   */
  applySubscriptionChange(change: SubscriptionChange): Promise<void>;
}
