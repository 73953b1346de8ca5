// On shift / off shift (docs/escalation.md): escalation ladders reach only staff who are on shift and connected, so
// the desk shows where this user stands and lets them change it. Read on every (re)connect; changed with `shift:set`.
import { makeAutoObservable, runInAction } from 'mobx';
import { describeCommandError, describeTransportFailure } from '../format/command-error-words';
import { TransportError, type TransportStatus } from '../transport/transport';
import { newCommandId } from './command-id';
import type { RootStore } from './root-store';

export class ShiftStore {
  /** null until the hub has said. */
  onShift: boolean | null = null;
  changedAt: number | null = null;
  pending = false;

  constructor(private readonly root: RootStore) {
    makeAutoObservable<this, 'root'>(this, { root: false }, { autoBind: true });
  }

  onTransportStatus(status: TransportStatus): void {
    if (status.kind === 'connected') void this.load();
  }

  async load(): Promise<void> {
    try {
      const result = await this.root.transport.request('shift:get', {});
      runInAction(() => {
        if (!result.ok) return;
        this.onShift = result.onShift;
        this.changedAt = result.changedAt;
      });
    } catch (error) {
      console.error('[shift] could not read the shift', error instanceof Error ? error.message : error);
    }
  }

  /** Puts this user on or off shift; the answer (or the refusal, in words) is shown as a notice. */
  async set(onShift: boolean): Promise<boolean> {
    if (this.pending) return false;
    this.pending = true;
    try {
      const result = await this.root.transport.request('shift:set', { commandId: newCommandId(), onShift });
      runInAction(() => {
        this.pending = false;
        if (!result.ok) {
          this.root.notices.show('error', describeCommandError(result.error));
          return;
        }
        this.onShift = result.onShift;
        this.changedAt = result.changedAt;
        this.root.notices.show('info', result.onShift ? 'You are on shift: escalations can reach you' : 'You are off shift: escalations will not be sent to you');
      });
      return result.ok;
    } catch (error) {
      runInAction(() => {
        this.pending = false;
        this.root.notices.show('error', describeTransportFailure(error instanceof TransportError ? error.failure : 'timeout'));
      });
      return false;
    }
  }

  reset(): void {
    this.onShift = null;
    this.changedAt = null;
    this.pending = false;
  }
}
