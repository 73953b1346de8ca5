// On shift / off shift (docs/escalation.md, "Shifts"): escalation ladders reach only staff on a shift that has not yet
// ended and with a desk connected, so the desk shows where this user stands, until when, and lets them change it. Read
// on every (re)connect; changed with `shift:set`. The end is the hub's: once the (hub-corrected) clock passes it the
// desk shows off shift, as the hub already counts it — no timer here decides anything.
import { makeAutoObservable, runInAction } from 'mobx';
import { describeCommandError, describeTransportFailure } from '../format/command-error-words';
import { formatClock } from '../format/time';
import { TransportError, type TransportStatus } from '../transport/transport';
import { newCommandId } from './command-id';
import type { RootStore } from './root-store';

const MINUTE_MS = 60_000;
/** How long before the end the desk offers to extend: enough to notice during a handover. */
export const EXTEND_OFFER_MS = 30 * MINUTE_MS;
/** What one press of "Extend" adds: an overrun, not a new shift. */
export const EXTEND_BY_MINUTES = 60;

export class ShiftStore {
  /** As the hub last said; null until it has. */
  stored: boolean | null = null;
  changedAt: number | null = null;
  /** When the shift ends (hub clock); null when off shift. */
  endsAt: number | null = null;
  /** The site's shift limits, from `shift:get`. */
  defaultMinutes: number | null = null;
  maxMinutes: number | null = null;
  pending = false;

  constructor(private readonly root: RootStore) {
    makeAutoObservable<this, 'root'>(this, { root: false }, { autoBind: true });
  }

  /** null until the hub has said; false once the end has passed, as the hub counts it. */
  get onShift(): boolean | null {
    if (this.stored === null) return null;
    return this.stored && this.endsAt !== null && this.root.clock.now < this.endsAt;
  }

  /** On shift, and close enough to the end that the desk offers to extend. */
  get endingSoon(): boolean {
    return this.onShift === true && this.endsAt !== null && this.endsAt - this.root.clock.now <= EXTEND_OFFER_MS;
  }

  /**
   * The shift the hub holds has run out under an open desk: she is off shift by the clock, though nobody pressed
   * anything, and on-shift escalations have stopped reaching her. Said once, in words, so a nurse still at the ward PC
   * does not believe she is being told (docs/clinical-safety.md H1).
   */
  onShiftChange(onShift: boolean | null, wasOnShift: boolean | null): void {
    if (wasOnShift !== true || onShift !== false || this.stored !== true || this.endsAt === null) return;
    this.root.notices.show('error', `Your shift ended at ${formatClock(this.endsAt)}: escalations no longer reach you. Go on shift again to keep receiving them.`);
  }

  onTransportStatus(status: TransportStatus): void {
    if (status.kind === 'connected') void this.load();
  }

  async load(): Promise<void> {
    try {
      const result = await this.root.transport.request('shift:get', {});
      runInAction(() => {
        if (!result.ok) return;
        this.stored = result.onShift;
        this.changedAt = result.changedAt;
        this.endsAt = result.endsAt;
        this.defaultMinutes = result.defaultMinutes;
        this.maxMinutes = result.maxMinutes;
      });
    } catch (error) {
      console.error('[shift] could not read the shift', error instanceof Error ? error.message : error);
    }
  }

  /** Puts this user on shift (until `endsAt`, or the site's default length) or off; the answer is shown as a notice. */
  set(onShift: boolean, endsAt?: number): Promise<boolean> {
    const words = (end: number | null) => (onShift && end !== null ? `You are on shift until ${formatClock(end)}: escalations can reach you` : 'You are off shift: escalations will not be sent to you');
    return this.send({ onShift, ...(endsAt === undefined ? {} : { endsAt }) }, words);
  }

  /** Moves the end of a running shift on by EXTEND_BY_MINUTES (audited by the hub as `shift.extended`). */
  extend(): Promise<boolean> {
    if (this.onShift !== true || this.endsAt === null) return Promise.resolve(false);
    return this.send({ onShift: true, endsAt: this.endsAt + EXTEND_BY_MINUTES * MINUTE_MS }, (end) => `Shift extended: you are on shift until ${end === null ? '?' : formatClock(end)}`);
  }

  private async send(request: { onShift: boolean; endsAt?: number }, words: (endsAt: number | null) => string): Promise<boolean> {
    if (this.pending) return false;
    this.pending = true;
    try {
      const result = await this.root.transport.request('shift:set', { commandId: newCommandId(), ...request });
      runInAction(() => {
        this.pending = false;
        if (!result.ok) {
          this.root.notices.show('error', describeCommandError(result.error));
          return;
        }
        this.stored = result.onShift;
        this.changedAt = result.changedAt;
        this.endsAt = result.endsAt;
        this.root.notices.show('info', words(result.endsAt));
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
    this.stored = null;
    this.changedAt = null;
    this.endsAt = null;
    this.defaultMinutes = null;
    this.maxMinutes = null;
    this.pending = false;
  }
}
