// From a time of day on the hospital's wall clock (Europe/London) to the moment it next comes round, for "on shift
// until 08:00". Done with Intl rather than the PC's zone, as format/time.ts shows times, so both agree across BST.
const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** The London wall-clock reading of an instant, as if that reading were UTC (so the difference is the offset). */
function wallAsUtc(epochMs: number): number {
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(PARTS.formatToParts(epochMs).find((candidate) => candidate.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
}

/** The instant London's clock reads `day` (UTC-encoded wall date at midnight) plus `hours:minutes`. */
function atWall(day: number, hours: number, minutes: number): number {
  const naive = day + (hours * 60 + minutes) * 60_000;
  const guess = naive - (wallAsUtc(naive) - Math.floor(naive / 1000) * 1000);
  return naive - (wallAsUtc(guess) - Math.floor(guess / 1000) * 1000);
}

/** "HH:MM" (24-hour) → the next time after `now` that London's clock shows it; undefined when malformed. */
export function nextWallClock(hhmm: string, now: number): number | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (match === null) return undefined;
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  const wallNow = wallAsUtc(now);
  const today = wallNow - (wallNow % 86_400_000);
  const candidate = atWall(today, hours, minutes);
  return candidate > now ? candidate : atWall(today + 86_400_000, hours, minutes);
}
