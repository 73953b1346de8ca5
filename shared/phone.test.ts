import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { E164Schema } from './inbound';
import { displayPhone, toE164 } from './phone';

describe('toE164', () => {
  it.each([
    ['+447700900123', '+447700900123', 'Twilio SMS'],
    ['447700900123', '+447700900123', 'WhatsApp Cloud / Notify source: no plus'],
    ['07700 900123', '+447700900123', 'UK national with the usual space'],
    ['07700900123', '+447700900123', 'Notify destination: national'],
    ['whatsapp:+447700900123', '+447700900123', 'Twilio WhatsApp'],
    ['WhatsApp:+447700900123', '+447700900123', 'scheme in another case'],
    ['tel:+447700900123', '+447700900123', 'tel: link'],
    ['+44 (0)7700 900123', '+447700900123', 'bracketed trunk zero'],
    ['+44(0)7700-900-123', '+447700900123', 'bracketed trunk zero, hyphens'],
    ['00447700900123', '+447700900123', 'international 00 prefix'],
    ['0044 7700 900123', '+447700900123', '00 prefix with spaces'],
    ['0044 (0)7700 900123', '+447700900123', '00 prefix and bracketed zero'],
    ['+4407700900123', '+447700900123', 'trunk zero kept after country code'],
    ['  +44 7700 900 123  ', '+447700900123', 'padding and odd grouping'],
    ['(07700) 900123', '+447700900123', 'brackets around the prefix'],
    ['077.0090.0123', '+447700900123', 'dots'],
    ['020 7946 0000', '+442079460000', 'London landline'],
    ['0800 123456', '+44800123456', 'short freephone'],
    ['016977 3000', '+44169773000', 'nine-digit UK number (Brampton)'],
    ['+353 85 123 4567', '+353851234567', 'Irish mobile'],
    ['+1 (415) 555-2671', '+14155552671', 'US number'],
    ['14155552671', '+14155552671', 'US number without plus'],
    ['+33 6 12 34 56 78', '+33612345678', 'French mobile'],
  ])('%j → %j (%s)', (raw, expected) => {
    expect(toE164(raw)).toBe(expected);
  });

  it('expands national numbers with the default country given', () => {
    expect(toE164('085 123 4567', 'IE')).toBe('+353851234567');
    expect(toE164('085 123 4567')).toBeNull();
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['hello', 'words'],
    ['07700 9OO123', 'letter O for zero'],
    ['07700 900123 ext 4', 'extension'],
    ['++447700900123', 'double plus'],
    ['44+7700900123', 'plus in the middle'],
    ['+447700 900123#', 'hash'],
    ['+0447700900123', 'country code cannot start with 0'],
    ['+12345', 'too short for E.164'],
    ['123456', 'too short for E.164 without plus'],
    ['+1234567890123456', 'sixteen digits'],
    ['0770090012', 'UK national one digit short'],
    ['+44770090012', 'UK mobile one digit short'],
    ['+447700901', 'UK eight-digit significant number'],
    ['+444700900123', 'UK 04 range is unallocated'],
    ['077009001234', 'UK national one digit long'],
    ['+4477009001234', 'UK international one digit long'],
    ['+44770090', 'UK international far too short'],
    ['0', 'trunk prefix alone'],
    ['00', 'international prefix alone'],
    ['whatsapp:', 'scheme alone'],
    ['mailto:07700900123', 'unknown scheme'],
    ['０７７００９００１２３', 'full-width digits'],
  ])('rejects %j (%s)', (raw) => {
    expect(toE164(raw)).toBeNull();
  });

  it('only ever returns E.164 or null (property)', () => {
    const phoneish = fc.string({ unit: fc.constantFrom(...'0123456789+() -.whatsap:'.split('')), maxLength: 24 });
    fc.assert(
      fc.property(fc.oneof(phoneish, fc.string()), (raw) => {
        const result = toE164(raw);
        if (result !== null) expect(E164Schema.safeParse(result).success).toBe(true);
      }),
    );
  });

  it('is idempotent on its own output (property)', () => {
    const ukMobile = fc.stringMatching(/^7\d{9}$/).map((rest) => `0${rest}`);
    fc.assert(
      fc.property(ukMobile, (national) => {
        const once = toE164(national);
        expect(once).not.toBeNull();
        expect(toE164(once ?? '')).toBe(once);
      }),
    );
  });
});

describe('displayPhone', () => {
  it.each([
    ['+447700900123', '07700 900123'],
    ['+442079460000', '020 7946 0000'],
    ['+441134960000', '0113 496 0000'],
    ['+441214960000', '0121 496 0000'],
    ['+443001234567', '0300 123 4567'],
    ['+448081570000', '0808 157 0000'],
    ['+441632960000', '01632 960000'],
    ['+44169773000', '016977 3000'],
    ['+44138750000', '01387 50000'],
    ['+44800123456', '0800 123456'],
    ['+353851234567', '+353851234567'],
    ['+14155552671', '+14155552671'],
    ['not a number', 'not a number'],
  ])('%j → %j', (e164, expected) => {
    expect(displayPhone(e164)).toBe(expected);
  });

  it('round-trips UK numbers through toE164 (property)', () => {
    const ukSignificant = fc.stringMatching(/^[1-37-9]\d{9}$/);
    fc.assert(
      fc.property(ukSignificant, (significant) => {
        const e164 = `+44${significant}`;
        expect(toE164(displayPhone(e164))).toBe(e164);
      }),
    );
  });
});
