import { describe, expect, it } from 'vitest';
import { ClockStore } from './clock-store';

describe('ClockStore: countdowns on the hub time', () => {
  it("takes the hub's answer to be from half-way through the request, and runs on from there", () => {
    let pc = 1_000_000;
    const clock = new ClockStore(() => pc);
    // This PC is 10 minutes slow: the hub said 10:00.150 for a request sent at 09:50.100 and answered at 09:50.200.
    clock.correctTo(pc + 600_000 + 150, pc + 100, pc + 200);
    expect(clock.offsetMs).toBe(600_000);
    expect(clock.now).toBe(pc + 600_000);
    pc += 5_000;
    clock.tick();
    expect(clock.now).toBe(pc + 600_000);
    expect(clock.local()).toBe(pc);
  });

  it('ignores changes under a quarter of a second, so a countdown does not jitter with each measurement', () => {
    const pc = 2_000_000;
    const clock = new ClockStore(() => pc);
    clock.correctTo(pc + 5_000, pc, pc);
    clock.correctTo(pc + 5_200, pc, pc);
    expect(clock.offsetMs).toBe(5_000);
    clock.correctTo(pc + 4_000, pc, pc);
    expect(clock.offsetMs).toBe(4_000);
  });

  it('notices the PC clock being changed while it runs, and asks for the hub to be asked again', () => {
    let pc = 3_000_000;
    let monotonic = 500;
    const clock = new ClockStore(() => pc, () => monotonic);
    let jumps = 0;
    clock.onJump(() => (jumps += 1));
    // Ordinary ticks, a little late or early: nothing to say.
    for (const step of [1_000, 1_300, 700]) {
      pc += step;
      monotonic += step;
      clock.tick();
    }
    pc += 1_000 + 1_500;
    monotonic += 1_000;
    clock.tick();
    expect(jumps).toBe(0);
    // Someone sets the PC ten minutes back.
    pc += 1_000 - 600_000;
    monotonic += 1_000;
    clock.tick();
    expect(jumps).toBe(1);
    // The offset is left for the hub to correct; the next ordinary tick says nothing more.
    expect(clock.now).toBe(pc);
    pc += 1_000;
    monotonic += 1_000;
    clock.tick();
    expect(jumps).toBe(1);
  });
});
