// Unacknowledged-alert counts as the hub keeps them (`alerts:counts`): per queue this desk sees, and "mine" (the
// alerts escalated or paged to this user by name). Asked once the desk is current (sign-in, reload, reconnect) and
// again, debounced, after events that can change an alert; never on a timer, so a quiet hub costs nothing.
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
]);

export function mayChangeAlertCounts(event: DeskEvent): boolean {
  return event.alert !== undefined || ALERT_CHANGING.has(event.type);
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
    if (events.some(mayChangeAlertCounts)) this.refreshSoon();
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
