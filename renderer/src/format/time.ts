// Times as a nurse reads them: the hospital's wall clock (Europe/London), whatever the PC's zone.
const CLOCK = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
const DAY = new Intl.DateTimeFormat('en-GB', { dateStyle: 'short', timeZone: 'Europe/London' });
const DAY_AND_CLOCK = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
});

export function formatClock(epochMs: number): string {
  return CLOCK.format(epochMs);
}

/** "14:02" today, "3 Mar, 14:02" otherwise. */
export function formatMoment(epochMs: number, now: number): string {
  return DAY.format(epochMs) === DAY.format(now) ? formatClock(epochMs) : DAY_AND_CLOCK.format(epochMs);
}

export function formatDayAndClock(epochMs: number): string {
  return DAY_AND_CLOCK.format(epochMs);
}

/** A span in words: "under a minute", "7 min", "2 h 05 min", "3 days". */
export function formatSpan(milliseconds: number): string {
  const minutes = Math.floor(Math.abs(milliseconds) / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} days`;
}
