import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from './bank-holidays';
import {
  addBusinessMinutes,
  addWorkingDays,
  businessMinutesBetween,
  type Calendar,
  calendarFromConfig,
  CalendarConfigSchema,
  isWorkingDay,
  localParts,
  zonedTimeToEpoch,
} from './business-hours';

const LONDON = 'Europe/London';
const MINUTE = 60_000;
const TWENTY_FOUR_SEVEN: Calendar = { kind: '24x7' };
/** PALS office hours from DOMAIN.md. */
const PALS: Calendar = calendarFromConfig(
  CalendarConfigSchema.parse({ kind: 'business', timeZone: LONDON, days: [1, 2, 3, 4, 5], opens: '09:00', closes: '16:30' }),
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
);

const utc = (text: string): number => Date.parse(text);
/** Wall-clock time in London written as "YYYY-MM-DD HH:MM"; fails on a time the clocks skip. */
function london(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(text);
  if (!match) throw new Error(`bad wall time ${text}`);
  const [, year, month, day, hour, minute] = match.map(Number);
  const instant = zonedTimeToEpoch({ year: year ?? 0, month: month ?? 0, day: day ?? 0, hour: hour ?? 0, minute: minute ?? 0 }, LONDON);
  expect(showLondon(instant)).toBe(text);
  return instant;
}
function showLondon(epochMs: number): string {
  const parts = localParts(epochMs, LONDON);
  const two = (value: number): string => String(value).padStart(2, '0');
  return `${parts.isoDate} ${two(parts.hour)}:${two(parts.minute)}`;
}

describe('localParts', () => {
  it('reads GMT in winter and BST in summer', () => {
    expect(localParts(utc('2026-01-15T12:00:00Z'), LONDON)).toMatchObject({ isoDate: '2026-01-15', hour: 12, weekday: 4 });
    expect(localParts(utc('2026-07-15T12:00:00Z'), LONDON)).toMatchObject({ isoDate: '2026-07-15', hour: 13, weekday: 3 });
  });

  it('reads midnight as hour 0 and Sunday as weekday 7', () => {
    expect(localParts(utc('2026-03-01T00:00:00Z'), LONDON)).toMatchObject({ isoDate: '2026-03-01', hour: 0, minute: 0, weekday: 7 });
  });

  it('crosses the local date line an hour before UTC in summer', () => {
    expect(localParts(utc('2026-06-30T23:30:00Z'), LONDON)).toMatchObject({ isoDate: '2026-07-01', hour: 0, minute: 30 });
  });
});

describe('zonedTimeToEpoch', () => {
  it('converts ordinary winter and summer times', () => {
    expect(zonedTimeToEpoch({ year: 2026, month: 1, day: 15, hour: 9, minute: 0 }, LONDON)).toBe(utc('2026-01-15T09:00:00Z'));
    expect(zonedTimeToEpoch({ year: 2026, month: 7, day: 15, hour: 9, minute: 0 }, LONDON)).toBe(utc('2026-07-15T08:00:00Z'));
  });

  it('moves a time in the spring gap forward by the gap (01:30 on 2026-03-29 → 02:30 BST)', () => {
    const instant = zonedTimeToEpoch({ year: 2026, month: 3, day: 29, hour: 1, minute: 30 }, LONDON);
    expect(instant).toBe(utc('2026-03-29T01:30:00Z'));
    expect(showLondon(instant)).toBe('2026-03-29 02:30');
  });

  it('takes the first of the two autumn 01:30s (BST) on 2026-10-25', () => {
    const instant = zonedTimeToEpoch({ year: 2026, month: 10, day: 25, hour: 1, minute: 30 }, LONDON);
    expect(instant).toBe(utc('2026-10-25T00:30:00Z'));
    expect(showLondon(utc('2026-10-25T01:30:00Z'))).toBe('2026-10-25 01:30');
  });

  it('inverts localParts for every instant except the second pass through the autumn hour (property)', () => {
    const instants = fc.integer({ min: utc('2024-01-01T00:00:00Z') / MINUTE, max: utc('2030-12-31T00:00:00Z') / MINUTE }).map((minutes) => minutes * MINUTE);
    fc.assert(
      fc.property(instants, (instant) => {
        const parts = localParts(instant, LONDON);
        const back = zonedTimeToEpoch(parts, LONDON);
        // Only in the repeated hour can the wall time name an earlier instant than the one read.
        if (back !== instant) {
          expect(instant - back).toBe(60 * MINUTE);
          expect(parts.month).toBe(10);
          expect(parts.hour).toBe(1);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('24x7 calendar', () => {
  it('keeps a 15-minute deadline 15 real minutes across the spring change (2026-03-29 01:00 UTC)', () => {
    const from = utc('2026-03-29T00:50:00Z');
    const due = addBusinessMinutes(from, 15, TWENTY_FOUR_SEVEN);
    expect(due - from).toBe(15 * MINUTE);
    expect(showLondon(from)).toBe('2026-03-29 00:50');
    expect(showLondon(due)).toBe('2026-03-29 02:05');
    expect(businessMinutesBetween(from, due, TWENTY_FOUR_SEVEN)).toBe(15);
  });

  it('keeps a 15-minute deadline 15 real minutes across the autumn change (2026-10-25 01:00 UTC)', () => {
    const from = utc('2026-10-25T00:50:00Z');
    const due = addBusinessMinutes(from, 15, TWENTY_FOUR_SEVEN);
    expect(due - from).toBe(15 * MINUTE);
    expect(showLondon(from)).toBe('2026-10-25 01:50');
    expect(showLondon(due)).toBe('2026-10-25 01:05');
  });

  it('treats every day as a working day of 24 hours', () => {
    expect(isWorkingDay('2026-12-25', TWENTY_FOUR_SEVEN)).toBe(true);
    expect(addWorkingDays(utc('2026-03-28T12:00:00Z'), 2, TWENTY_FOUR_SEVEN)).toBe(utc('2026-03-30T12:00:00Z'));
  });
});

describe('business calendar (PALS, Mon–Fri 09:00–16:30, England and Wales bank holidays)', () => {
  it('knows weekends and bank holidays are not working days', () => {
    expect(isWorkingDay('2026-04-02', PALS)).toBe(true);
    expect(isWorkingDay('2026-04-03', PALS)).toBe(false); // Good Friday
    expect(isWorkingDay('2026-04-04', PALS)).toBe(false); // Saturday
    expect(isWorkingDay('2026-04-06', PALS)).toBe(false); // Easter Monday
    expect(isWorkingDay('2026-12-28', PALS)).toBe(false); // Boxing Day substitute
  });

  it('adds working days at the same local time across the spring change', () => {
    expect(showLondon(addWorkingDays(london('2026-03-27 15:00'), 2, PALS))).toBe('2026-03-31 15:00');
    expect(addWorkingDays(london('2026-03-27 15:00'), 2, PALS)).toBe(utc('2026-03-31T14:00:00Z'));
  });

  it('skips Easter Monday when adding 2 working days from Good Friday 15:00 (counts from Thursday closing)', () => {
    expect(showLondon(addWorkingDays(london('2026-04-03 15:00'), 2, PALS))).toBe('2026-04-08 16:30');
  });

  it('skips Christmas, the weekend and the Boxing Day substitute in 2026', () => {
    expect(showLondon(addWorkingDays(london('2026-12-24 11:00'), 1, PALS))).toBe('2026-12-29 11:00');
    expect(showLondon(addWorkingDays(london('2026-12-23 11:00'), 3, PALS))).toBe('2026-12-30 11:00');
  });

  it('clamps a start outside opening hours to the opening or closing time', () => {
    expect(showLondon(addWorkingDays(london('2026-05-11 08:00'), 2, PALS))).toBe('2026-05-13 09:00');
    expect(showLondon(addWorkingDays(london('2026-05-11 20:00'), 2, PALS))).toBe('2026-05-13 16:30');
    expect(showLondon(addWorkingDays(london('2026-05-16 10:00'), 2, PALS))).toBe('2026-05-19 16:30'); // Saturday
    expect(addWorkingDays(london('2026-05-16 10:00'), 0, PALS)).toBe(london('2026-05-16 10:00'));
  });

  it('gives a complaint received on a Friday evening its 3 full working days', () => {
    const received = london('2026-05-15 18:00');
    const due = addWorkingDays(received, 3, PALS);
    expect(showLondon(due)).toBe('2026-05-20 16:30');
    expect(businessMinutesBetween(received, due, PALS)).toBe(3 * 450);
  });

  it('counts business minutes across a weekend', () => {
    const friday = london('2026-05-15 16:00');
    const due = addBusinessMinutes(friday, 60, PALS);
    expect(showLondon(due)).toBe('2026-05-18 09:30');
    expect(businessMinutesBetween(friday, due, PALS)).toBe(60);
    expect(businessMinutesBetween(friday, london('2026-05-18 09:00'), PALS)).toBe(30);
  });

  it('counts from opening time for a start at 08:00 local', () => {
    expect(showLondon(addBusinessMinutes(london('2026-05-12 08:00'), 30, PALS))).toBe('2026-05-12 09:30');
    expect(showLondon(addBusinessMinutes(london('2026-07-14 08:00'), 30, PALS))).toBe('2026-07-14 09:30');
    expect(businessMinutesBetween(london('2026-05-12 08:00'), london('2026-05-12 10:00'), PALS)).toBe(60);
  });

  it('with zero minutes gives the next open instant', () => {
    expect(showLondon(addBusinessMinutes(london('2026-05-16 10:00'), 0, PALS))).toBe('2026-05-18 09:00');
    expect(addBusinessMinutes(london('2026-05-12 10:00'), 0, PALS)).toBe(london('2026-05-12 10:00'));
  });

  it('ends a deadline exactly at closing time rather than rolling to the next day', () => {
    expect(showLondon(addBusinessMinutes(london('2026-05-12 16:00'), 30, PALS))).toBe('2026-05-12 16:30');
    expect(showLondon(addBusinessMinutes(london('2026-05-12 16:00'), 31, PALS))).toBe('2026-05-13 09:01');
  });

  it('skips the Easter weekend and both holidays when adding business minutes', () => {
    expect(showLondon(addBusinessMinutes(london('2026-04-02 16:00'), 60, PALS))).toBe('2026-04-07 09:30');
  });

  it('is antisymmetric in its arguments', () => {
    const a = london('2026-05-12 10:00');
    const b = london('2026-05-14 11:00');
    expect(businessMinutesBetween(a, b, PALS)).toBe(2 * 450 + 60);
    expect(businessMinutesBetween(b, a, PALS)).toBe(-(2 * 450 + 60));
  });

  it('gives back the minutes it added, across DST changes and holidays (property)', () => {
    const instants = fc.integer({ min: utc('2026-01-01T00:00:00Z') / MINUTE, max: utc('2027-12-31T00:00:00Z') / MINUTE }).map((minutes) => minutes * MINUTE);
    const calendars = fc.constantFrom<Calendar>(
      PALS,
      TWENTY_FOUR_SEVEN,
      // Open across 01:00–02:00 local every day, so the clock changes fall inside opening hours.
      calendarFromConfig({ kind: 'business', timeZone: LONDON, days: [1, 2, 3, 4, 5, 6, 7], opens: '00:30', closes: '03:00' }, []),
    );
    fc.assert(
      fc.property(instants, fc.integer({ min: 0, max: 6000 }), calendars, (from, minutes, calendar) => {
        const due = addBusinessMinutes(from, minutes, calendar);
        expect(due).toBeGreaterThanOrEqual(from);
        expect(businessMinutesBetween(from, due, calendar)).toBe(minutes);
      }),
      { numRuns: 200 },
    );
  });

  it('counts the real length of an opening that spans a clock change', () => {
    const nightDesk = calendarFromConfig({ kind: 'business', timeZone: LONDON, days: [7], opens: '00:30', closes: '03:00' }, []);
    // 00:30 GMT to 03:00 BST on the spring Sunday is 90 real minutes; in autumn, 03:00 GMT is 210 minutes after 00:30 BST.
    expect(businessMinutesBetween(utc('2026-03-28T12:00:00Z'), utc('2026-03-29T12:00:00Z'), nightDesk)).toBe(90);
    expect(businessMinutesBetween(utc('2026-10-24T12:00:00Z'), utc('2026-10-25T12:00:00Z'), nightDesk)).toBe(210);
  });

  it('refuses a calendar that never opens instead of looping forever', () => {
    const closedForever: Calendar = { kind: 'business', timeZone: LONDON, days: [], opens: '09:00', closes: '17:00', holidays: new Set() };
    expect(() => addBusinessMinutes(0, 1, closedForever)).toThrow(/no working day/);
    expect(() => addWorkingDays(0, 1, closedForever)).toThrow(/no working day/);
  });
});

describe('CalendarConfigSchema', () => {
  it.each<[unknown, string]>([
    [{ kind: 'business', timeZone: LONDON, days: [1, 2], opens: '17:00', closes: '09:00' }, 'closes before it opens'],
    [{ kind: 'business', timeZone: LONDON, days: [], opens: '09:00', closes: '17:00' }, 'no days'],
    [{ kind: 'business', timeZone: LONDON, days: [1, 1], opens: '09:00', closes: '17:00' }, 'repeated day'],
    [{ kind: 'business', timeZone: LONDON, days: [0], opens: '09:00', closes: '17:00' }, 'day 0'],
    [{ kind: 'business', timeZone: LONDON, days: [1], opens: '9:00', closes: '17:00' }, 'unpadded hour'],
    [{ kind: 'business', timeZone: LONDON, days: [1], opens: '09:00', closes: '24:00' }, 'hour 24'],
    [{ kind: 'business', timeZone: 'Europe/Paris', days: [1], opens: '09:00', closes: '17:00' }, 'other zone'],
    [{ kind: 'weekdays' }, 'unknown kind'],
  ])('rejects %j (%s)', (config) => {
    expect(CalendarConfigSchema.safeParse(config).success).toBe(false);
  });

  it('accepts 24x7 and office hours', () => {
    expect(CalendarConfigSchema.parse({ kind: '24x7' })).toEqual({ kind: '24x7' });
    expect(CalendarConfigSchema.safeParse({ kind: 'business', timeZone: LONDON, days: [1, 2, 3, 4, 5], opens: '09:00', closes: '16:30' }).success).toBe(true);
  });
});
