import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countSmsSegments } from './sms-segments';

const THUMBS_UP = '\u{1F44D}';

describe('countSmsSegments', () => {
  it.each([
    ['', 'GSM-7', 0, 0, 160, 160],
    ['Hello', 'GSM-7', 1, 5, 160, 155],
    ['a'.repeat(160), 'GSM-7', 1, 160, 160, 0],
    ['a'.repeat(161), 'GSM-7', 2, 161, 153, 145],
    ['a'.repeat(153 * 2), 'GSM-7', 2, 306, 153, 0],
    ['a'.repeat(153 * 2 + 1), 'GSM-7', 3, 307, 153, 152],
    ['€', 'GSM-7', 1, 2, 160, 158],
    ['€'.repeat(80), 'GSM-7', 1, 160, 160, 0],
    ['a'.repeat(159) + '€', 'GSM-7', 2, 161, 153, 145],
    ['[]{}^~\\|\f€', 'GSM-7', 1, 20, 160, 140],
    ['£5 @ 10:00 — ok', 'UCS-2', 1, 15, 70, 55],
    ['£5 @ 10:00, Ñ, ¿, Δ, à', 'GSM-7', 1, 22, 160, 138],
    ['x'.repeat(70) + 'é', 'GSM-7', 1, 71, 160, 89],
    ['ç', 'UCS-2', 1, 1, 70, 69],
    ['Ç', 'GSM-7', 1, 1, 160, 159],
    ['ê', 'UCS-2', 1, 1, 70, 69],
    ['’', 'UCS-2', 1, 1, 70, 69],
    ['\t', 'UCS-2', 1, 1, 70, 69],
    ['ś'.repeat(70), 'UCS-2', 1, 70, 70, 0],
    ['ś'.repeat(71), 'UCS-2', 2, 71, 67, 63],
    ['ś'.repeat(67 * 2), 'UCS-2', 2, 134, 67, 0],
    ['ś'.repeat(67 * 2 + 1), 'UCS-2', 3, 135, 67, 66],
    [THUMBS_UP, 'UCS-2', 1, 2, 70, 68],
    [THUMBS_UP.repeat(35), 'UCS-2', 1, 70, 70, 0],
    ['a' + THUMBS_UP.repeat(35), 'UCS-2', 2, 71, 67, 63],
    ['Yes ' + THUMBS_UP, 'UCS-2', 1, 6, 70, 64],
  ])('%j → %s, %i segment(s), %i units, %i per segment, %i remaining', (text, encoding, segments, units, perSegment, remaining) => {
    expect(countSmsSegments(text)).toEqual({ encoding, segments, units, perSegment, remainingInSegment: remaining });
  });

  it('does not split an escape pair across GSM-7 parts', () => {
    // 152 plain septets then '€' (2 septets) would straddle the 153 boundary, so '€' opens part two.
    const straddling = 'a'.repeat(152) + '€' + 'a'.repeat(10);
    expect(countSmsSegments(straddling)).toEqual({ encoding: 'GSM-7', segments: 2, units: 164, perSegment: 153, remainingInSegment: 141 });
    // Naive division would say 306 septets fit two parts; with the gap at the first boundary it needs three.
    const tight = 'a'.repeat(152) + '€' + 'a'.repeat(152);
    expect(countSmsSegments(tight)).toMatchObject({ units: 306, segments: 3, remainingInSegment: 152 });
    // An escape pair that ends exactly on the boundary leaves no gap.
    const fitting = 'a'.repeat(151) + '€' + 'a'.repeat(153);
    expect(countSmsSegments(fitting)).toMatchObject({ units: 306, segments: 2, remainingInSegment: 0 });
  });

  it('does not split an emoji across UCS-2 parts', () => {
    const straddling = 'ś'.repeat(66) + THUMBS_UP + 'ś'.repeat(66);
    expect(countSmsSegments(straddling)).toMatchObject({ encoding: 'UCS-2', units: 134, segments: 3 });
  });

  it('needs at least ceil(units / perSegment) parts, and a single part only up to the single limit (property)', () => {
    const gsmText = fc.string({ unit: fc.constantFrom(...'abc €[]{}0123'.split('')), maxLength: 500 });
    const mixedText = fc.string({ unit: fc.constantFrom('a', 'ś', THUMBS_UP, '€'), maxLength: 300 });
    fc.assert(
      fc.property(fc.oneof(gsmText, mixedText), (text) => {
        const count = countSmsSegments(text);
        expect(count.segments).toBeGreaterThanOrEqual(Math.ceil(count.units / count.perSegment));
        // At most one unit wasted per part, so never more than one extra part per 152 or 66 units.
        expect(count.segments).toBeLessThanOrEqual(Math.ceil(count.units / (count.perSegment - 1)));
        expect(count.remainingInSegment).toBeGreaterThanOrEqual(0);
        expect(count.remainingInSegment).toBeLessThan(count.perSegment + (count.units === 0 ? 1 : 0));
      }),
    );
  });
});
