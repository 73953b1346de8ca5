import { describe, expect, it } from 'vitest';
import { BankHolidayTableSchema, ENGLAND_AND_WALES_BANK_HOLIDAYS, IsoDateSchema } from './bank-holidays';

// The standing rules, computed here from first principles so the literal table is checked against
// something other than itself. Easter by the anonymous Gregorian (Meeus/Jones/Butcher) algorithm.
function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day));
}

const iso = (date: Date): string => date.toISOString().slice(0, 10);
const plusDays = (date: Date, days: number): Date => new Date(date.getTime() + days * 86_400_000);
const isWeekend = (date: Date): boolean => date.getUTCDay() === 0 || date.getUTCDay() === 6;

function mondayOnOrAfter(date: Date): Date {
  let cursor = date;
  while (cursor.getUTCDay() !== 1) cursor = plusDays(cursor, 1);
  return cursor;
}
function mondayOnOrBefore(date: Date): Date {
  let cursor = date;
  while (cursor.getUTCDay() !== 1) cursor = plusDays(cursor, -1);
  return cursor;
}

function holidaysByRule(year: number): string[] {
  const taken = new Set<string>();
  // A weekend holiday moves to the next weekday not already a holiday (how Christmas and Boxing Day shuffle).
  const observe = (date: Date): void => {
    let cursor = date;
    while (isWeekend(cursor) || taken.has(iso(cursor))) cursor = plusDays(cursor, 1);
    taken.add(iso(cursor));
  };
  const easter = easterSunday(year);
  observe(new Date(Date.UTC(year, 0, 1)));
  taken.add(iso(plusDays(easter, -2)));
  taken.add(iso(plusDays(easter, 1)));
  taken.add(iso(mondayOnOrAfter(new Date(Date.UTC(year, 4, 1)))));
  taken.add(iso(mondayOnOrBefore(new Date(Date.UTC(year, 4, 31)))));
  taken.add(iso(mondayOnOrBefore(new Date(Date.UTC(year, 7, 31)))));
  // Boxing Day is placed first when Christmas is a Sunday, so Christmas takes the Tuesday.
  const christmas = new Date(Date.UTC(year, 11, 25));
  if (christmas.getUTCDay() === 0) {
    taken.add(iso(plusDays(christmas, 1)));
    taken.add(iso(plusDays(christmas, 2)));
  } else {
    observe(christmas);
    observe(plusDays(christmas, 1));
  }
  return [...taken].sort();
}

describe('ENGLAND_AND_WALES_BANK_HOLIDAYS', () => {
  it('has the Easter Sundays the brief lists', () => {
    expect([2024, 2025, 2026, 2027, 2028, 2029, 2030].map((year) => iso(easterSunday(year)))).toEqual([
      '2024-03-31', '2025-04-20', '2026-04-05', '2027-03-28', '2028-04-16', '2029-04-01', '2030-04-21',
    ]);
  });

  it.each([2024, 2025, 2026, 2027, 2028, 2029, 2030])('matches the standing rules for %i', (year) => {
    const listed = ENGLAND_AND_WALES_BANK_HOLIDAYS.filter((date) => date.startsWith(`${year}-`));
    expect(listed).toEqual(holidaysByRule(year));
  });

  it('matches the dates GOV.UK publishes for 2026', () => {
    expect(ENGLAND_AND_WALES_BANK_HOLIDAYS.filter((date) => date.startsWith('2026-'))).toEqual([
      '2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28',
    ]);
  });

  it('is sorted, unique and every entry a weekday', () => {
    expect([...ENGLAND_AND_WALES_BANK_HOLIDAYS].sort()).toEqual(ENGLAND_AND_WALES_BANK_HOLIDAYS);
    expect(new Set(ENGLAND_AND_WALES_BANK_HOLIDAYS).size).toBe(ENGLAND_AND_WALES_BANK_HOLIDAYS.length);
    for (const date of ENGLAND_AND_WALES_BANK_HOLIDAYS) expect(isWeekend(new Date(`${date}T00:00:00Z`))).toBe(false);
  });

  it('parses through its own schema unchanged', () => {
    expect(BankHolidayTableSchema.parse(ENGLAND_AND_WALES_BANK_HOLIDAYS)).toEqual(ENGLAND_AND_WALES_BANK_HOLIDAYS);
  });
});

describe('BankHolidayTableSchema', () => {
  it('sorts and de-duplicates a loaded table', () => {
    expect(BankHolidayTableSchema.parse(['2031-12-26', '2031-01-01', '2031-12-26'])).toEqual(['2031-01-01', '2031-12-26']);
  });

  it.each([['2026-02-30'], ['2026-13-01'], ['26-12-25'], ['2026/12/25'], ['2026-12-25T00:00:00Z'], ['']])(
    'rejects %j',
    (date) => {
      expect(IsoDateSchema.safeParse(date).success).toBe(false);
      expect(BankHolidayTableSchema.safeParse([date]).success).toBe(false);
    },
  );

  it('rejects something that is not a list', () => {
    expect(BankHolidayTableSchema.safeParse({ 'england-and-wales': [] }).success).toBe(false);
  });
});
