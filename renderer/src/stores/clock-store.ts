// One ticking clock for every countdown, so a screen of rows re-renders on one timer, not one per row.
import { makeAutoObservable } from 'mobx';

// `now` is the hub's time: the ward PC's clock corrected by what the hub said its clock was (`correctTo`), so
// deadlines the hub set count down the same on every desk whatever each PC's clock says.
const CORRECTION_STEP_MS = 250;
/**
 * How far the PC's clock may move between two ticks beyond what the monotonic clock measured before it counts as
 * changed (someone set it, or it was synchronised after drifting). Ticks come every second; timer lateness on a busy
 * PC is far below this.
 */
const CLOCK_JUMP_MS = 2_000;

export class ClockStore {
  now: number;
  /** Hub time minus this PC's time, as last measured (ms). */
  offsetMs = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** The PC's clock and the monotonic clock at the last tick, to notice the PC's clock being changed. */
  private last: { wall: number; monotonic: number };
  private jumpListener: (() => void) | null = null;

  constructor(
    private readonly readClock: () => number,
    private readonly readMonotonic: () => number = () => performance.now(),
  ) {
    this.now = readClock();
    this.last = { wall: this.now, monotonic: readMonotonic() };
    makeAutoObservable<this, 'timer' | 'readClock' | 'readMonotonic' | 'last' | 'jumpListener'>(
      this,
      { timer: false, readClock: false, readMonotonic: false, last: false, jumpListener: false },
      { autoBind: true },
    );
  }

  /**
   * Called when the PC's clock is seen to change while the desk runs, so the offset to the hub can be measured again
   * (the sync store asks the hub). The offset is not adjusted here: a PC waking from sleep can look the same (its
   * monotonic clock may have stood still), and only the hub can say which it was.
   */
  onJump(listener: () => void): void {
    this.jumpListener = listener;
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
    const wall = this.readClock();
    const monotonic = this.readMonotonic();
    const jumped = Math.abs(wall - this.last.wall - (monotonic - this.last.monotonic)) > CLOCK_JUMP_MS;
    this.last = { wall, monotonic };
    this.now = wall + this.offsetMs;
    if (jumped) this.jumpListener?.();
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
