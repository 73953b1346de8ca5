// Deadlines on a clock that only runs while a desk is open. Instants are UTC epoch milliseconds
// (ARCHITECTURE.md, invariant 8); opening hours are wall-clock times in Europe/London, so every
// conversion goes through Intl, which knows when the clocks change.
import { z } from 'zod';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Two years without an open minute means the calendar never opens: fail rather than loop forever. */
const MAX_DAYS_SCANNED = 732;

export type IsoDate = string;

export type Calendar =
  | { kind: '24x7' }
  | {
      kind: 'business';
      timeZone: 'Europe/London';
      /** ISO weekdays the desk opens: 1 = Monday … 7 = Sunday. */
      days: number[];
      opens: string;
      closes: string;
      holidays: ReadonlySet<IsoDate>;
    };

const ClockTimeSchema = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'expected a time written HH:MM (24-hour)');

/**
 * The calendar as an admin edits it; holidays come from the bank holiday table, not the form.
 * A desk open overnight (closes before it opens) is not supported: no queue we serve needs it, and
 * each working day then stays one interval inside one local date.
 */
export const CalendarConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('24x7') }),
  z
    .object({
      kind: z.literal('business'),
      timeZone: z.literal('Europe/London'),
      days: z
        .array(z.number().int().min(1).max(7))
        .min(1)
        .refine((days) => new Set(days).size === days.length, 'each weekday once'),
      opens: ClockTimeSchema,
      closes: ClockTimeSchema,
    })
    .refine((config) => config.opens < config.closes, { message: 'closing time must be after opening time', path: ['closes'] }),
]);
export type CalendarConfig = z.infer<typeof CalendarConfigSchema>;

export function calendarFromConfig(config: CalendarConfig, holidays: Iterable<IsoDate>): Calendar {
  if (config.kind === '24x7') return { kind: '24x7' };
  return { ...config, days: [...config.days], holidays: new Set(holidays) };
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  isoDate: IsoDate;
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second?: number;
  millisecond?: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function isoDateOf(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function isoWeekday(year: number, month: number, day: number): number {
  const sundayZero = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return sundayZero === 0 ? 7 : sundayZero;
}

/** The wall-clock reading in `timeZone` at an instant. */
export function localParts(epochMs: number, timeZone: string): LocalParts {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const year = fields.year ?? NaN;
  const month = fields.month ?? NaN;
  const day = fields.day ?? NaN;
  return {
    year,
    month,
    day,
    hour: fields.hour ?? NaN,
    minute: fields.minute ?? NaN,
    second: fields.second ?? NaN,
    millisecond: ((epochMs % 1000) + 1000) % 1000,
    weekday: isoWeekday(year, month, day),
    isoDate: isoDateOf(year, month, day),
  };
}

/** The wall time read as if it were UTC; its difference from the real instant is the zone's offset. */
function wallAsUtc(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second ?? 0, wall.millisecond ?? 0);
}

function offsetAt(epochMs: number, timeZone: string): number {
  return wallAsUtc(localParts(epochMs, timeZone)) - epochMs;
}

/**
 * The instant a wall-clock time names in `timeZone`. Clock changes make that ambiguous, resolved the
 * way Temporal's default ("compatible") does, so results never depend on the machine:
 * - a time that happens twice (the October overlap, 01:30 in London) is the first, earlier instant;
 * - a time that never happens (the March gap, 01:30 in London) is moved forward by the gap's
 *   length (01:30 → 02:30 BST), i.e. read with the offset in force before the change.
 */
export function zonedTimeToEpoch(wall: WallTime, timeZone: string): number {
  const naive = wallAsUtc(wall);
  // Offsets a day either side bracket any single clock change near this wall time.
  const offsetBefore = offsetAt(naive - DAY_MS, timeZone);
  const offsetAfter = offsetAt(naive + DAY_MS, timeZone);
  const candidates = [...new Set([offsetBefore, offsetAfter])]
    .map((offset) => naive - offset)
    .filter((instant) => offsetAt(instant, timeZone) === naive - instant)
    .sort((a, b) => a - b);
  const [earliest] = candidates;
  if (earliest !== undefined) return earliest;
  return naive - offsetBefore;
}

function minutesOfClock(clock: string): { hour: number; minute: number } {
  const [hour, minute] = clock.split(':').map(Number);
  return { hour: hour ?? 0, minute: minute ?? 0 };
}

function shiftIsoDate(isoDate: IsoDate, days: number): IsoDate {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function dateFields(isoDate: IsoDate): { year: number; month: number; day: number } {
  const [year, month, day] = isoDate.split('-').map(Number);
  return { year: year ?? NaN, month: month ?? NaN, day: day ?? NaN };
}

export function isWorkingDay(isoDate: IsoDate, calendar: Calendar): boolean {
  if (calendar.kind === '24x7') return true;
  const { year, month, day } = dateFields(isoDate);
  return calendar.days.includes(isoWeekday(year, month, day)) && !calendar.holidays.has(isoDate);
}

type BusinessCalendar = Extract<Calendar, { kind: 'business' }>;

/** Opening and closing instants of a working day (DST-correct, so a day may not be 7.5 × 60 real minutes long). */
function openInterval(isoDate: IsoDate, calendar: BusinessCalendar): { opensAt: number; closesAt: number } {
  const date = dateFields(isoDate);
  return {
    opensAt: zonedTimeToEpoch({ ...date, ...minutesOfClock(calendar.opens) }, calendar.timeZone),
    closesAt: zonedTimeToEpoch({ ...date, ...minutesOfClock(calendar.closes) }, calendar.timeZone),
  };
}

function calendarNeverOpens(): Error {
  return new Error(`business calendar has no working day within ${MAX_DAYS_SCANNED} days`);
}

/**
 * The deadline N working days after `fromMs`, at the same local time of day.
 * Rule for starts outside opening hours, chosen so the deadline always leaves N full working days
 * and is the earliest wall-clock time that does:
 * - before opening on a working day: counts from opening time that day (08:00 Monday + 2 → 09:00 Wednesday);
 * - after closing on a working day: counts from closing time that day (20:00 Monday + 2 → closing Wednesday);
 * - on a non-working day (weekend, holiday): counts from closing time of the last working day before it
 *   (Good Friday 15:00 + 2 → closing on the Wednesday after Easter Monday).
 * A 24x7 calendar has no local day, so a working day there is 24 real hours. 0 days returns `fromMs`.
 */
export function addWorkingDays(fromMs: number, days: number, calendar: Calendar): number {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${days}`);
  if (days === 0) return fromMs;
  if (calendar.kind === '24x7') return fromMs + days * DAY_MS;

  const start = localParts(fromMs, calendar.timeZone);
  let anchorDate = start.isoDate;
  let timeOfDay = { hour: start.hour, minute: start.minute, second: start.second, millisecond: start.millisecond };
  const clockOfStart = `${String(start.hour).padStart(2, '0')}:${String(start.minute).padStart(2, '0')}`;
  const opens = { ...minutesOfClock(calendar.opens), second: 0, millisecond: 0 };
  const closes = { ...minutesOfClock(calendar.closes), second: 0, millisecond: 0 };

  if (!isWorkingDay(anchorDate, calendar)) {
    let scanned = 0;
    while (!isWorkingDay(anchorDate, calendar)) {
      if ((scanned += 1) > MAX_DAYS_SCANNED) throw calendarNeverOpens();
      anchorDate = shiftIsoDate(anchorDate, -1);
    }
    timeOfDay = closes;
  } else if (clockOfStart < calendar.opens) {
    timeOfDay = opens;
  } else if (clockOfStart >= calendar.closes) {
    timeOfDay = closes;
  }

  let remaining = days;
  let cursor = anchorDate;
  let daysWithoutWork = 0;
  while (remaining > 0) {
    if ((daysWithoutWork += 1) > MAX_DAYS_SCANNED) throw calendarNeverOpens();
    cursor = shiftIsoDate(cursor, 1);
    if (isWorkingDay(cursor, calendar)) {
      remaining -= 1;
      daysWithoutWork = 0;
    }
  }
  return zonedTimeToEpoch({ ...dateFields(cursor), ...timeOfDay }, calendar.timeZone);
}

/**
 * The instant at which `minutes` of opening time have passed since `fromMs`. Time outside opening
 * hours does not count, so a start at 08:00 counts from 09:00. With 0 minutes the answer is the
 * next open instant (`fromMs` itself when the desk is open). 24x7 is plain addition.
 */
export function addBusinessMinutes(fromMs: number, minutes: number, calendar: Calendar): number {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`business minutes must be ≥ 0, got ${minutes}`);
  if (calendar.kind === '24x7') return fromMs + minutes * MINUTE_MS;

  let remainingMs = Math.round(minutes * MINUTE_MS);
  let date = localParts(fromMs, calendar.timeZone).isoDate;
  let daysWithoutOpening = 0;
  for (;;) {
    if (isWorkingDay(date, calendar)) {
      const { opensAt, closesAt } = openInterval(date, calendar);
      const countFrom = Math.max(fromMs, opensAt);
      if (countFrom < closesAt) {
        if (remainingMs <= closesAt - countFrom) return countFrom + remainingMs;
        remainingMs -= closesAt - countFrom;
        daysWithoutOpening = 0;
      }
    }
    if ((daysWithoutOpening += 1) > MAX_DAYS_SCANNED) throw calendarNeverOpens();
    date = shiftIsoDate(date, 1);
  }
}

/** Opening minutes in [a, b); negative when b is before a. 24x7 counts every minute. */
export function businessMinutesBetween(a: number, b: number, calendar: Calendar): number {
  if (b < a) return -businessMinutesBetween(b, a, calendar);
  if (calendar.kind === '24x7') return (b - a) / MINUTE_MS;

  let totalMs = 0;
  const lastDate = localParts(b, calendar.timeZone).isoDate;
  for (let date = localParts(a, calendar.timeZone).isoDate; date <= lastDate; date = shiftIsoDate(date, 1)) {
    if (!isWorkingDay(date, calendar)) continue;
    const { opensAt, closesAt } = openInterval(date, calendar);
    const overlap = Math.min(b, closesAt) - Math.max(a, opensAt);
    if (overlap > 0) totalMs += overlap;
  }
  return totalMs / MINUTE_MS;
}
