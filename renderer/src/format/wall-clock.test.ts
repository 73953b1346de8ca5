import { describe, expect, it } from 'vitest';
import { formatClock } from './time';
import { nextWallClock } from './wall-clock';

describe('nextWallClock', () => {
  it('finds the next time London reads the hour, today or tomorrow, in summer and in winter', () => {
    const june10at1000BST = Date.UTC(2026, 5, 10, 9, 0);
    expect(nextWallClock('20:00', june10at1000BST)).toBe(Date.UTC(2026, 5, 10, 19, 0));
    expect(nextWallClock('08:00', june10at1000BST)).toBe(Date.UTC(2026, 5, 11, 7, 0));
    const jan10at2200GMT = Date.UTC(2027, 0, 10, 22, 0);
    expect(nextWallClock('07:30', jan10at2200GMT)).toBe(Date.UTC(2027, 0, 11, 7, 30));
    // A night shift across the October clock change: 19:30 BST to 08:00 GMT is 13.5 hours.
    const oct24at1930BST = Date.UTC(2026, 9, 24, 18, 30);
    expect(nextWallClock('08:00', oct24at1930BST)).toBe(Date.UTC(2026, 9, 25, 8, 0));
    expect(formatClock(nextWallClock('08:00', oct24at1930BST)!)).toBe('08:00');
    // Tomorrow is the next date, not 24 hours on: at 00:30 on the 25-hour day, 00:15 next comes round on the 26th.
    const oct25at0030BST = Date.UTC(2026, 9, 24, 23, 30);
    expect(nextWallClock('00:15', oct25at0030BST)).toBe(Date.UTC(2026, 9, 26, 0, 15));
  });

  it('refuses what is not a 24-hour time', () => {
    for (const text of ['8pm', '24:00', '7:30', '']) expect(nextWallClock(text, 0)).toBeUndefined();
  });
});
