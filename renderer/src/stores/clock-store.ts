// One ticking clock for every countdown, so a screen of rows re-renders on one timer, not one per row.
import { makeAutoObservable } from 'mobx';

// `now` is the hub's time: the ward PC's clock corrected by what the hub said its clock was (`correctTo`), so
// deadlines the hub set count down the same on every desk whatever each PC's clock says.
const CORRECTION_STEP_MS = 250;

export class ClockStore {
  now: number;
  /** Hub time minus this PC's time, as last measured (ms). */
  offsetMs = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly readClock: () => number) {
    this.now = readClock();
    makeAutoObservable<this, 'timer' | 'readClock'>(this, { timer: false, readClock: false }, { autoBind: true });
  }

  /** This PC's own clock, uncorrected: for timing a request to the hub. */
  local(): number {
    return this.readClock();
  }

  /**
   * The hub answered at `serverTime` a request sent at `sentAt` and answered at `receivedAt` (both `local()`): the
   * answer is taken to be from half-way, which is right to within half the round trip. Smaller changes than
   * CORRECTION_STEP_MS are ignored, so countdowns do not jitter with each measurement.
   */
  correctTo(serverTime: number, sentAt: number, receivedAt: number): void {
    const offset = Math.round(serverTime - (sentAt + receivedAt) / 2);
    if (Math.abs(offset - this.offsetMs) < CORRECTION_STEP_MS) return;
    this.offsetMs = offset;
    this.tick();
  }

  tick(): void {
    this.now = this.readClock() + this.offsetMs;
  }

  start(intervalMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(this.tick, intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
