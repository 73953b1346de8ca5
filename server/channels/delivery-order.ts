// Carriers deliver receipts out of order (WhatsApp may send `read` before `delivered`, or skip
// `delivered`); this is the one rule for whether a newly arrived state replaces the one on record.
import { isUndelivered } from '../../shared/domain';
import type { DeliveryStatusState } from '../../shared/inbound';

const PROGRESS: Record<DeliveryStatusState, number> = {
  accepted: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  failed: 0,
  expired: 0,
};

/**
 * True when `next` should replace `current`. States only move forward (read > delivered > sent >
 * accepted); a failure ends the record unless a later delivery or read proves the message arrived;
 * a failure after a delivery is noise.
 */
export function supersedes(current: DeliveryStatusState | undefined, next: DeliveryStatusState): boolean {
  if (current === undefined) return true;
  if (isUndelivered(current)) return next === 'delivered' || next === 'read';
  if (isUndelivered(next)) return PROGRESS[current] < PROGRESS.delivered;
  return PROGRESS[next] > PROGRESS[current];
}
