// Unacknowledged-alert counts as the hub keeps them (`alerts:counts`): per queue this desk sees, and "mine" (what is
// addressed to this user and not over, as the tray lists it: alerts escalated or paged to them by name, and their own
// replies not delivered). Asked once the desk is current (sign-in, reload, reconnect) and again, debounced, after
// events that can change one; never on a timer, so a quiet hub costs nothing.
import { makeAutoObservable, runInAction } from 'mobx';
import type { DeskEvent, EventType } from '../../../shared/protocol';
import type { RootStore } from './root-store';

/** Events that start, end or move an alert; anything else (a note, a delivery report) leaves the counts as they are. */
const ALERT_CHANGING: ReadonlySet<EventType> = new Set<EventType>([
  'case.opened',
  'message.received',
  'case.acknowledged',
  'case.unacknowledged',
  'case.resolved',
  'case.reopened',
  'case.triaged',
  'case.silenced',
  // Staff dealt with a reply not delivered: its author's mark, counted in `mine`, is gone.
  'reply.undelivered_dismissed',
]);

export function mayChangeAlertCounts(event: DeskEvent): boolean {
  return event.alert !== undefined || ALERT_CHANGING.has(event.type);
}

/**
 * A reply delivered (or read) clears its case's "reply not delivered" mark when it is the marked reply or a later one
 * (server/outbox/reply-undelivered.ts). Its event carries the case without the mark but does not say there was one,
 * so any such delivery on an unmarked case may have ended an entry counted in `mine`.
 */
function mayHaveClearedMark(event: DeskEvent): boolean {
  const state = event.message?.deliveryState;
  return event.type === 'delivery.updated' && (state === 'delivered' || state === 'read') && (event.case.replyUndelivered ?? null) === null;
}

export class AlertCountStore {
  /** Per queue id; empty until the hub has answered. */
  queues = new Map<string, number>();
  mine = 0;
  loaded = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight = false;
  /** An event arrived while a request was out: its answer may predate the change, so ask once more after it. */
  private again = false;
  /** Bumped by reset (sign-out): an answer for the previous user is dropped. */
  private generation = 0;

  constructor(
    private readonly root: RootStore,
    private readonly debounceMs: number,
  ) {
    makeAutoObservable<this, 'root' | 'debounceMs' | 'timer' | 'inFlight' | 'again' | 'generation'>(
      this,
      { root: false, debounceMs: false, timer: false, inFlight: false, again: false, generation: false },
      { autoBind: true },
    );
  }

  /** The hub's count for a queue, or null before its first answer (the caller may fall back to its own). */
  forQueue(queueId: string): number | null {
    return this.loaded ? (this.queues.get(queueId) ?? 0) : null;
  }

  get total(): number {
    let total = 0;
    for (const count of this.queues.values()) total += count;
    return total;
  }

  onEvents(events: readonly DeskEvent[]): void {
    // Most deliveries end nothing: asked about only when the last answer had something addressed to this user, or an
    // answer is on its way that may predate the delivery (one still to be asked reads the hub after it anyway).
    const markMayHaveGone = this.mine > 0 || this.inFlight;
    if (events.some((event) => mayChangeAlertCounts(event) || (markMayHaveGone && mayHaveClearedMark(event)))) this.refreshSoon();
  }

  /** Coalesces a burst of events (a ladder step to five desks, a bulk triage) into one question. */
  refreshSoon(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refresh();
    }, this.debounceMs);
  }

  async refresh(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    if (!this.root.transport.connected) return;
    this.inFlight = true;
    const generation = this.generation;
    try {
      const result = await this.root.transport.request('alerts:counts', {});
      runInAction(() => {
        if (!result.ok || generation !== this.generation) return;
        this.queues = new Map(Object.entries(result.queues));
        this.mine = result.mine;
        this.loaded = true;
      });
    } catch (error) {
      // The next event or reconnect asks again; the last answer stays on screen meanwhile.
      console.error('[alerts] could not read the alert counts', error instanceof Error ? error.message : error);
    } finally {
      this.inFlight = false;
      if (this.again) {
        this.again = false;
        this.refreshSoon();
      }
    }
  }

  reset(): void {
    this.generation += 1;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.again = false;
    this.queues = new Map();
    this.mine = 0;
    this.loaded = false;
  }
}
