// How many SMS parts a text costs, so the desk can show "2 messages" before a nurse presses send.
// Rules from 3GPP TS 23.038 as carriers apply them (see CHANNELS.md): GSM-7 160 alone / 153 per part
// (the rest of each part carries the concatenation header); one character outside GSM-7 makes the
// whole message UCS-2, 70 alone / 67 per part, counted in UTF-16 code units.

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSegmentCount {
  encoding: SmsEncoding;
  /** Parts the carrier will bill; 0 for an empty text. */
  segments: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) in the whole text. */
  units: number;
  /** Capacity of one part at this length: 160/153 for GSM-7, 70/67 for UCS-2. */
  perSegment: number;
  /** Units that still fit in the last part before another part is needed. */
  remainingInSegment: number;
}

/** GSM 03.38 default alphabet; 0x09 is the capital Ç as the standard prints it. */
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** Extension table: each is sent as ESC + character, so costs two septets. */
const GSM7_EXTENSION = new Set('\f^{}\\[~]|€');

const LIMITS = {
  'GSM-7': { single: 160, multipart: 153 },
  'UCS-2': { single: 70, multipart: 67 },
} as const;

export function countSmsSegments(text: string): SmsSegmentCount {
  // Code points, not UTF-16 units, so a surrogate pair is one character that costs two units.
  const characters = Array.from(text);
  const encoding: SmsEncoding = characters.every((character) => GSM7_BASIC.has(character) || GSM7_EXTENSION.has(character))
    ? 'GSM-7'
    : 'UCS-2';
  const costs = characters.map((character) =>
    encoding === 'GSM-7' ? (GSM7_EXTENSION.has(character) ? 2 : 1) : character.length,
  );
  const units = costs.reduce((total, cost) => total + cost, 0);
  const limits = LIMITS[encoding];

  if (units <= limits.single) {
    return { encoding, segments: units === 0 ? 0 : 1, units, perSegment: limits.single, remainingInSegment: limits.single - units };
  }

  // A character is never split across parts: an escape pair (ESC + '€') or a surrogate pair
  // (an emoji) that would straddle a boundary moves whole to the next part, leaving a gap of one.
  let segments = 1;
  let usedInSegment = 0;
  for (const cost of costs) {
    if (usedInSegment + cost > limits.multipart) {
      segments += 1;
      usedInSegment = 0;
    }
    usedInSegment += cost;
  }
  return { encoding, segments, units, perSegment: limits.multipart, remainingInSegment: limits.multipart - usedInSegment };
}
