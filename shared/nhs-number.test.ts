import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidNhsNumber, NhsNumberSchema, normaliseNhsNumber } from './nhs-number';

// The test's own check-digit computation, written from the NHS Data Dictionary rule rather than
// calling the module, so a shared mistake cannot make both agree.
function referenceCheckDigit(nine: readonly number[]): number | null {
  const weighted = nine.reduce((total, digit, position) => total + digit * (10 - position), 0);
  const remainder = weighted % 11;
  if (remainder === 0) return 0;
  if (remainder === 1) return null;
  return 11 - remainder;
}

const nineDigits = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 });
const nineDigitsWithCheck = nineDigits
  .map((nine) => ({ nine, check: referenceCheckDigit(nine) }))
  .filter((pair): pair is { nine: number[]; check: number } => pair.check !== null)
  .map(({ nine, check }) => [...nine, check]);

describe('isValidNhsNumber', () => {
  it.each([
    ['9434765919'],
    ['943 476 5919'],
    ['943-476-5919'],
    ['4010232137'],
    ['401 023 2137'],
    ['  401 023 2137 '],
  ])('accepts %j', (input) => {
    expect(isValidNhsNumber(input)).toBe(true);
  });

  it.each([
    ['9434765918', 'wrong check digit'],
    ['4010232138', 'wrong check digit'],
    ['943476591', 'nine digits'],
    ['94347659190', 'eleven digits'],
    ['943 4765 919', 'separators in the wrong places'],
    ['943 476-5919', 'mixed separators'],
    ['943  476 5919', 'doubled separator'],
    ['943.476.5919', 'dots are not a printed form'],
    ['94347659l9', 'letter l for digit 1'],
    ['', 'empty'],
    ['NHS 9434765919', 'prefix text'],
    ['９４３４７６５９１９', 'full-width digits'],
  ])('rejects %j (%s)', (input) => {
    expect(isValidNhsNumber(input)).toBe(false);
  });

  it('rejects every number whose first nine digits give check value 10', () => {
    // 000000006: weighted sum 6 × 2 = 12, remainder 1, check value 10 — no tenth digit can make it valid.
    for (let last = 0; last <= 9; last += 1) {
      expect(isValidNhsNumber(`000000006${last}`)).toBe(false);
    }
  });

  it('accepts any nine digits followed by their check digit (property)', () => {
    fc.assert(
      fc.property(nineDigitsWithCheck, (digits) => {
        const bare = digits.join('');
        expect(isValidNhsNumber(bare)).toBe(true);
        expect(isValidNhsNumber(`${bare.slice(0, 3)} ${bare.slice(3, 6)} ${bare.slice(6)}`)).toBe(true);
        expect(normaliseNhsNumber(`${bare.slice(0, 3)}-${bare.slice(3, 6)}-${bare.slice(6)}`)).toBe(bare);
      }),
    );
  });

  it('rejects a valid number with any one digit changed (property)', () => {
    fc.assert(
      fc.property(
        nineDigitsWithCheck,
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        (digits, position, offset) => {
          const changed = [...digits];
          changed[position] = ((changed[position] ?? 0) + offset) % 10;
          expect(isValidNhsNumber(changed.join(''))).toBe(false);
        },
      ),
    );
  });

  it('rejects a valid number with two adjacent differing digits swapped (property)', () => {
    fc.assert(
      fc.property(nineDigitsWithCheck, fc.integer({ min: 0, max: 8 }), (digits, position) => {
        const left = digits[position];
        const right = digits[position + 1];
        fc.pre(left !== right);
        const swapped = [...digits];
        swapped[position] = right ?? 0;
        swapped[position + 1] = left ?? 0;
        expect(isValidNhsNumber(swapped.join(''))).toBe(false);
      }),
    );
  });

  it('rejects strings with any non-digit, non-separator character (property)', () => {
    const junk = fc
      .string({ minLength: 1, maxLength: 14 })
      .filter((text) => /[^\d -]/.test(text.trim()));
    fc.assert(
      fc.property(junk, (text) => {
        expect(isValidNhsNumber(text)).toBe(false);
      }),
    );
  });
});

describe('NhsNumberSchema', () => {
  it('transforms the printed form to bare digits', () => {
    expect(NhsNumberSchema.parse('943 476 5919')).toBe('9434765919');
  });

  it('fails with a message naming the expected form', () => {
    const result = NhsNumberSchema.safeParse('943 476 5918');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/NHS number/);
  });
});
