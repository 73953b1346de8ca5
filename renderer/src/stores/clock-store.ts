// One ticking clock for every countdown, so a screen of rows re-renders on one timer, not one per row.
import { makeAutoObservable } from 'mobx';

export class ClockStore {
  now: number;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly readClock: () => number) {
    this.now = readClock();
    makeAutoObservable<this, 'timer' | 'readClock'>(this, { timer: false, readClock: false }, { autoBind: true });
  }

  tick(): void {
    this.now = this.readClock();
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
