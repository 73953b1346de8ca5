// From a time of day on the hospital's wall clock (Europe/London) to the moment it next comes round, for "on shift
// until 08:00". Uses the hub's own zone arithmetic (shared/business-hours.ts) rather than the PC's zone, as
// format/time.ts shows times, so both agree across BST.
import { localParts, zonedTimeToEpoch } from '../../../shared/business-hours';

const LONDON = 'Europe/London';

/** "HH:MM" (24-hour) → the next time after `now` that London's clock shows it; undefined when malformed. */
export function nextWallClock(hhmm: string, now: number): number | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (match === null) return undefined;
  const [hour, minute] = [Number(match[1]), Number(match[2])];
  const today = localParts(now, LONDON);
  const candidate = zonedTimeToEpoch({ year: today.year, month: today.month, day: today.day, hour, minute }, LONDON);
  if (candidate > now) return candidate;
  // The next calendar date, not now + 24 h: the clock-change days are 23 and 25 hours long.
  const next = new Date(Date.UTC(today.year, today.month - 1, today.day + 1));
  return zonedTimeToEpoch({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour, minute }, LONDON);
}
