// The bank holiday table the business calendars use: the shared one, or `bank-holidays.json` in the data dir when an
// admin has dropped in a newer one (a proclaimed one-off holiday must not wait for a release). A broken file stops
// the hub with the exact problem rather than silently counting a holiday as a working day.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { BankHolidayTableSchema, ENGLAND_AND_WALES_BANK_HOLIDAYS } from '../../shared/bank-holidays';

export const BANK_HOLIDAYS_FILE = 'bank-holidays.json';

export function loadBankHolidays(dataDir: string): { dates: readonly string[]; source: string } {
  const file = join(dataDir, BANK_HOLIDAYS_FILE);
  if (!existsSync(file)) return { dates: ENGLAND_AND_WALES_BANK_HOLIDAYS, source: 'built-in England and Wales table' };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = BankHolidayTableSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${file} is not a list of YYYY-MM-DD dates:\n${z.prettifyError(parsed.error)}`);
  return { dates: parsed.data, source: file };
}
