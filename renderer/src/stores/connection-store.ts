// Connection honesty: what the desk may claim about how current its lists are.
import { makeAutoObservable } from 'mobx';
import type { TransportStatus } from '../transport/transport';
import type { RootStore } from './root-store';

export type ConnectionState = 'offline' | 'connecting' | 'syncing' | 'live' | 'reconnecting' | 'stale';

export class ConnectionStore {
  transportStatus: TransportStatus['kind'] | 'idle' = 'idle';
  /** When the desk last stopped being sure it is current; null while live. */
  unsureSince: number | null = null;
  hasEverBeenLive = false;

  constructor(
    private readonly root: RootStore,
    /** Disconnected longer than this, the lists say they may be out of date. */
    readonly staleAfterMs: number,
  ) {
    makeAutoObservable<this, 'root'>(this, { root: false }, { autoBind: true });
  }

  get state(): ConnectionState {
    switch (this.transportStatus) {
      case 'idle':
        return 'offline';
      case 'connected':
        return this.root.sync.current ? 'live' : 'syncing';
      case 'connecting':
      case 'disconnected':
      case 'rejected':
        if (!this.hasEverBeenLive) return 'connecting';
        return this.isStale ? 'stale' : 'reconnecting';
    }
  }

  get isStale(): boolean {
    return this.unsureSince !== null && this.root.clock.now - this.unsureSince >= this.staleAfterMs;
  }

  /** True when lists and countdowns must warn that they may be out of date. */
  get mayBeOutOfDate(): boolean {
    return this.hasEverBeenLive && this.state !== 'live' && this.isStale;
  }

  onTransportStatus(status: TransportStatus): void {
    this.transportStatus = status.kind;
    if (status.kind !== 'connected' && this.unsureSince === null) {
      this.unsureSince = this.root.clock.now;
      // The clock ticks each second; ticking now makes a zero threshold take effect at once.
      this.root.clock.tick();
    }
    if (status.kind === 'rejected') {
      this.root.session.logout('Your session has ended. Please sign in again.');
    }
  }

  caughtUp(): void {
    this.unsureSince = null;
    this.hasEverBeenLive = true;
  }

  reset(): void {
    this.transportStatus = 'idle';
    this.unsureSince = null;
    this.hasEverBeenLive = false;
  }
}
