// Keeps the desk's copy of the hub exact across reconnects (invariant 2): bootstrap once, then on
// every (re)connect ask `sync` for the gap after the last sequence number held, apply events in
// sequence order exactly once, and fall back to a fresh bootstrap when the hub cannot give the gap.
// Pushed events that arrive while catching up are held back: applying one early would move lastSeq
// past the gap and the gap's own events would then be skipped as already seen.
import { makeAutoObservable, runInAction } from 'mobx';
import type { DeskEvent } from '../../../shared/protocol';
import { TransportError, type TransportStatus } from '../transport/transport';
import type { RootStore } from './root-store';

export type SyncPhase = 'idle' | 'bootstrapping' | 'syncing' | 'current' | 'waiting';

const RETRY_AFTER_MS = 2000;

export class SyncStore {
  lastSeq = 0;
  phase: SyncPhase = 'idle';
  bootstrapped = false;
  /** How many times a full bootstrap was needed; visible for tests and diagnostics. */
  bootstrapCount = 0;
  private heldBack: DeskEvent[] = [];
  /** Bumped on every (re)connect so an older catch-up still awaiting the hub abandons its results. */
  private generation = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly root: RootStore) {
    makeAutoObservable<this, 'root' | 'heldBack' | 'generation' | 'retryTimer'>(
      this,
      { root: false, heldBack: false, generation: false, retryTimer: false },
      { autoBind: true },
    );
  }

  get current(): boolean {
    return this.phase === 'current';
  }

  onTransportStatus(status: TransportStatus): void {
    if (status.kind === 'connected') {
      void this.catchUp();
      return;
    }
    this.generation += 1;
    this.heldBack = [];
    if (this.phase !== 'idle') this.phase = 'waiting';
  }

  onEvents(events: readonly DeskEvent[]): void {
    if (this.phase === 'current') this.apply(events);
    else this.heldBack.push(...events);
  }

  /** The PC's clock changed: a catch-up's `sync` answer carries the hub's time, which corrects the offset again. */
  onClockJump(): void {
    if (this.phase === 'current') void this.catchUp();
  }

  /** A pushed event could not be read: the sequence can no longer be trusted, so fetch the gap. */
  onProtocolError(): void {
    if (this.phase === 'current') void this.catchUp();
  }

  async catchUp(): Promise<void> {
    this.clearRetry();
    const generation = ++this.generation;
    const superseded = () => generation !== this.generation;
    try {
      let needBootstrap = !this.bootstrapped;
      if (!needBootstrap) {
        const outcome = await this.fetchGap(superseded);
        if (outcome === 'superseded') return;
        needBootstrap = outcome === 'refused';
      }
      if (needBootstrap) {
        if ((await this.bootstrap(superseded)) === 'superseded') return;
      }
      runInAction(() => {
        const held = this.heldBack;
        this.heldBack = [];
        this.apply(held);
        this.phase = 'current';
        this.root.connection.caughtUp();
      });
    } catch (error) {
      if (superseded()) return;
      console.error('[sync] catch-up failed', error instanceof Error ? error.message : error);
      runInAction(() => {
        this.phase = 'waiting';
        // Offline: the next connect retries. Connected but the hub did not answer: try again shortly.
        if (!(error instanceof TransportError && error.failure === 'offline')) this.scheduleRetry();
      });
    }
  }

  reset(): void {
    this.clearRetry();
    this.generation += 1;
    this.heldBack = [];
    this.lastSeq = 0;
    this.phase = 'idle';
    this.bootstrapped = false;
  }

  /** Applies events in sequence order, each at most once. */
  apply(events: readonly DeskEvent[]): void {
    const ordered = [...events].sort((left, right) => left.seq - right.seq);
    for (const event of ordered) {
      if (event.seq <= this.lastSeq) continue;
      this.root.cases.applyEvent(event);
      this.root.messages.applyEvent(event);
      this.root.alerts.applyEvent(event);
      this.root.profiles.applyEvent(event);
      this.lastSeq = event.seq;
    }
  }

  private async fetchGap(superseded: () => boolean): Promise<'done' | 'refused' | 'superseded'> {
    runInAction(() => (this.phase = 'syncing'));
    for (;;) {
      const since = this.lastSeq;
      const sentAt = this.root.clock.local();
      const result = await this.root.transport.request('sync', { since });
      if (superseded()) return 'superseded';
      if (result.ok && result.serverTime !== undefined) this.root.clock.correctTo(result.serverTime, sentAt, this.root.clock.local());
      if (!result.ok) {
        console.warn('[sync] hub refused the gap, bootstrapping', result.error.code);
        return 'refused';
      }
      // The hub's head is behind what this desk has seen: its store is not the one the desk knew (restored from a
      // backup, say). Keeping our higher lastSeq would silently drop every new event numbered at or below it.
      if (result.seq < since) {
        console.warn('[sync] the hub is behind this desk (its store was restored?), bootstrapping', result.seq, since);
        return 'refused';
      }
      runInAction(() => this.apply(result.events));
      if (!result.more) {
        // The hub's head: nothing in scope lies between our last event and it.
        runInAction(() => (this.lastSeq = Math.max(this.lastSeq, result.seq)));
        return 'done';
      }
      // `more` without progress would loop for ever; a bootstrap is the safe way out.
      if (this.lastSeq <= since) return 'refused';
    }
  }

  private async bootstrap(superseded: () => boolean): Promise<'done' | 'superseded'> {
    runInAction(() => (this.phase = 'bootstrapping'));
    const sentAt = this.root.clock.local();
    const result = await this.root.transport.request('bootstrap', {});
    if (superseded()) return 'superseded';
    if (!result.ok) throw new Error(`bootstrap refused: ${result.error.code} ${result.error.message}`);
    const receivedAt = this.root.clock.local();
    runInAction(() => {
      if (result.serverTime !== undefined) this.root.clock.correctTo(result.serverTime, sentAt, receivedAt);
      this.root.session.updateUser(result.me);
      this.root.directory.load(result.queues, result.staff);
      this.root.cases.replaceAll(result.cases);
      this.root.messages.clear();
      this.lastSeq = result.seq;
      this.bootstrapped = true;
      this.bootstrapCount += 1;
    });
    // The bootstrap replaced the cases without the events that changed them, and only an event for the open case
    // reloads what the desk holds for it: fetch its thread and profile again, as opening it would.
    this.root.selection.reloadSelectedThread();
    this.root.profiles.reloadOpenCase();
    return 'done';
  }

  private scheduleRetry(): void {
    this.clearRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.root.transport.connected) void this.catchUp();
    }, RETRY_AFTER_MS);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
