// NHS numbers: ten digits, the last a modulus-11 check digit over the first nine.
// Staff type them in the printed 3-3-4 form, so spaces or hyphens at those two places are accepted.
import { z } from 'zod';

/** The printed grouping (943 476 5919 / 943-476-5919) or ten bare digits; one separator style per number. */
const ACCEPTED_FORMS = /^(?:\d{10}|\d{3} \d{3} \d{4}|\d{3}-\d{3}-\d{4})$/;

/**
 * The check digit for nine leading digits, or null when the weighted sum leaves remainder 1:
 * such prefixes are never issued, so no ten-digit number starting with them is valid.
 */
export function nhsCheckDigit(firstNine: string): number | null {
  if (!/^\d{9}$/.test(firstNine)) throw new Error(`nhsCheckDigit needs nine digits, got ${firstNine.length} characters`);
  let sum = 0;
  for (let index = 0; index < 9; index += 1) {
    sum += Number(firstNine[index]) * (10 - index);
  }
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

/** The ten digits of a well-formed, check-digit-valid NHS number, else null. */
export function normaliseNhsNumber(input: string): string | null {
  const trimmed = input.trim();
  if (!ACCEPTED_FORMS.test(trimmed)) return null;
  const digits = trimmed.replace(/[ -]/g, '');
  return nhsCheckDigit(digits.slice(0, 9)) === Number(digits[9]) ? digits : null;
}

export function isValidNhsNumber(input: string): boolean {
  return normaliseNhsNumber(input) !== null;
}

/** Parses what a person typed and yields the ten bare digits the store keeps. */
export const NhsNumberSchema = z.string().transform((input, context) => {
  const digits = normaliseNhsNumber(input);
  if (digits === null) {
    context.addIssue({ code: 'custom', message: 'expected a valid 10-digit NHS number such as 943 476 5919' });
    return z.NEVER;
  }
  return digits;
});
export type NhsNumber = z.output<typeof NhsNumberSchema>;
