// The silences the desk offers for a case (H12): the usual durations up to the queue's limit, and the limit itself
// when it falls between them, so a nurse is never offered a choice the hub would refuse after the click.
const USUAL_MINUTES: readonly number[] = [5, 15, 30, 60];
const LONGEST_USUAL = 60;

/** Ascending, never empty; `limit` undefined (an older hub that does not say) offers the usual durations. */
export function silenceChoices(limit: number | undefined): number[] {
  if (limit === undefined) return [...USUAL_MINUTES];
  const within = USUAL_MINUTES.filter((minutes) => minutes <= limit);
  // A limit between the usual durations (say 20) is offered too; past the last (PALS' 240) the usual longest is enough.
  const top = Math.min(limit, LONGEST_USUAL);
  return within.includes(top) ? within : [...within, top];
}
