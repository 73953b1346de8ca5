// Bank holidays in England and Wales, the days PALS and complaints deadlines skip (DOMAIN.md).
// 2024–2026 are the dates GOV.UK publishes; 2027–2030 follow the standing rules (New Year's Day,
// Good Friday, Easter Monday, first and last Monday of May, last Monday of August, Christmas and
// Boxing Day, each moved to the next weekday when it falls at a weekend). A one-off holiday or a
// moved one (as in 2020 and 2022) is made by proclamation, so the hub can load a newer table from a
// file through `BankHolidayTableSchema` instead of waiting for a release.
import { z } from 'zod';

export const ENGLAND_AND_WALES_BANK_HOLIDAYS: readonly string[] = [
  // 2024 (Easter Sunday 31 March)
  '2024-01-01', '2024-03-29', '2024-04-01', '2024-05-06', '2024-05-27', '2024-08-26', '2024-12-25', '2024-12-26',
  // 2025 (Easter Sunday 20 April)
  '2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26',
  // 2026 (Easter Sunday 5 April; Boxing Day is a Saturday, substitute Monday 28 December)
  '2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28',
  // 2027 (Easter Sunday 28 March; Christmas Saturday → Monday 27, Boxing Day Sunday → Tuesday 28)
  '2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28',
  // 2028 (New Year's Day Saturday → Monday 3 January; Easter Sunday 16 April)
  '2028-01-03', '2028-04-14', '2028-04-17', '2028-05-01', '2028-05-29', '2028-08-28', '2028-12-25', '2028-12-26',
  // 2029 (Easter Sunday 1 April, so Good Friday falls in March)
  '2029-01-01', '2029-03-30', '2029-04-02', '2029-05-07', '2029-05-28', '2029-08-27', '2029-12-25', '2029-12-26',
  // 2030 (Easter Sunday 21 April)
  '2030-01-01', '2030-04-19', '2030-04-22', '2030-05-06', '2030-05-27', '2030-08-26', '2030-12-25', '2030-12-26',
];

/** A calendar date written YYYY-MM-DD that exists (no 2026-02-30). */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date written YYYY-MM-DD')
  .refine((text) => {
    const [year, month, day] = text.split('-').map(Number);
    if (year === undefined || month === undefined || day === undefined) return false;
    const date = new Date(Date.UTC(year, month - 1, day));
    return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  }, 'expected a real calendar date');

/** A replacement holiday table as loaded from a file: dates in any order, duplicates dropped. */
export const BankHolidayTableSchema = z
  .array(IsoDateSchema)
  .transform((dates) => [...new Set(dates)].sort());
export type BankHolidayTable = z.output<typeof BankHolidayTableSchema>;
