// Phone numbers as carriers and staff write them, reduced to the one form Clarion stores: E.164.
// Carriers disagree (Twilio "+44…" or "whatsapp:+44…", WhatsApp Cloud and Notify "44…" without a
// plus, Notify's destination in national "07…" form) and staff paste whatever is on the notes.

/** Countries whose national (trunk-prefixed) form we can expand; the hub serves UK and Irish numbers. */
// `significant` is the national significant number (after country code, without trunk prefix):
// UK numbers are 10 digits, except a few 9-digit ones in old 01 areas and 0800 freephone; 04 and 06
// are unallocated. Irish ones are 7 to 9 digits.
const NATIONAL_PLANS = {
  GB: { countryCode: '44', trunkPrefix: '0', significant: /^(?:[1-35789]\d{9}|1\d{8}|800\d{6})$/ },
  IE: { countryCode: '353', trunkPrefix: '0', significant: /^[1-9]\d{6,8}$/ },
} as const;
export type DialingCountry = keyof typeof NATIONAL_PLANS;

const E164_PATTERN = /^\+[1-9]\d{6,14}$/;

/** Scheme prefixes a carrier puts before the number (Twilio's WhatsApp channel, tel: links). */
const SCHEME_PREFIX = /^(?:whatsapp|tel|sms):/i;

/** Characters people use to group digits; anything else (letters, "ext", a second "+") is rejected. */
const GROUPING = /[\s().\-\u00a0]/g;

/**
 * The E.164 form of `raw`, or null when it is not plausibly a phone number.
 * A number without a plus or a leading 0 is taken as international digits (WhatsApp, Notify);
 * a leading single 0 is the default country's trunk prefix; a leading 00 is the international prefix.
 */
export function toE164(raw: string, defaultCountry: DialingCountry = 'GB'): string | null {
  let text = raw.trim().replace(SCHEME_PREFIX, '').trim();
  // "+44 (0)7700 900123": the bracketed trunk zero is a printing convention, not a digit to dial.
  text = text.replace(/\(\s*0\s*\)/g, '');
  const compact = text.replace(GROUPING, '');
  if (!/^\+?\d+$/.test(compact)) return null;

  let international: string;
  if (compact.startsWith('+')) {
    international = compact.slice(1);
  } else if (compact.startsWith('00')) {
    international = compact.slice(2);
  } else if (compact.startsWith('0')) {
    const plan = NATIONAL_PLANS[defaultCountry];
    international = plan.countryCode + compact.slice(plan.trunkPrefix.length);
  } else {
    international = compact;
  }

  international = dropTrunkPrefixAfterCountryCode(international);
  if (!hasPlausibleNationalLength(international)) return null;
  const candidate = `+${international}`;
  return E164_PATTERN.test(candidate) ? candidate : null;
}

/** "+4407700…" is a common slip (the trunk 0 kept after the country code); no such number exists. */
function dropTrunkPrefixAfterCountryCode(international: string): string {
  for (const plan of Object.values(NATIONAL_PLANS)) {
    if (international.startsWith(plan.countryCode + plan.trunkPrefix)) {
      return plan.countryCode + international.slice(plan.countryCode.length + plan.trunkPrefix.length);
    }
  }
  return international;
}

/** For countries we know, the significant number has a known shape; others get E.164's 7–15 digits. */
function hasPlausibleNationalLength(international: string): boolean {
  for (const plan of Object.values(NATIONAL_PLANS)) {
    if (international.startsWith(plan.countryCode)) {
      return plan.significant.test(international.slice(plan.countryCode.length));
    }
  }
  return true;
}

/**
 * How staff read a number: UK numbers in their national grouping ("07700 900123", "020 7946 0000"),
 * anything else (or anything that is not E.164) exactly as given.
 */
export function displayPhone(e164: string): string {
  if (!E164_PATTERN.test(e164) || !e164.startsWith('+44')) return e164;
  const national = `0${e164.slice(3)}`;
  if (national.length === 10) {
    // Short numbers: Brampton's six-figure area code, 0800 freephone, else five-figure areas.
    if (national.startsWith('016977')) return `${national.slice(0, 6)} ${national.slice(6)}`;
    if (national.startsWith('0800')) return `${national.slice(0, 4)} ${national.slice(4)}`;
    return `${national.slice(0, 5)} ${national.slice(5)}`;
  }
  if (national.length !== 11) return e164;
  // Ofcom groupings: London-style 02x, the 01x1/011x large cities and non-geographic 03/08/09 use
  // 3-4-4 or 4-3-4; mobiles (07) and other geographic areas use 5-6.
  if (national.startsWith('02')) return `${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`;
  if (/^01(?:1\d|\d1)/.test(national) || /^0[389]/.test(national)) {
    return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
  }
  return `${national.slice(0, 5)} ${national.slice(5)}`;
}
