// How long a shift may run, and the one rule for who is on shift at a moment. A shift always has an end time, stored
// with it and read against the hub's clock (never a timer in memory), so "on shift" cannot outlive a forgotten
// sign-off and a restarted hub gives the same answer. The limits are part of the validated site config.
import { z } from 'zod';

/** A long day or night in the NHS: 07:30–20:00 or 19:30–08:00, 12.5 hours. */
export const LONG_SHIFT_MINUTES = 750;

export const ShiftLimitsSchema = z
  .strictObject({
    /** A shift started without a chosen end runs this long. @default 750 (12.5 h) */
    defaultMinutes: z.number().int().positive().max(1440).default(LONG_SHIFT_MINUTES),
    /** No shift may end further than this from the moment it is set or extended. @default 840 (14 h: a long day and a late handover) */
    maxMinutes: z.number().int().positive().max(1440).default(840),
  })
  .refine((limits) => limits.defaultMinutes <= limits.maxMinutes, { message: 'shifts.defaultMinutes cannot be longer than shifts.maxMinutes', path: ['defaultMinutes'] });
export type ShiftLimits = z.infer<typeof ShiftLimitsSchema>;

export const DEFAULT_SHIFT_LIMITS: ShiftLimits = ShiftLimitsSchema.parse({});

/** A stored shift counts only until its end; a row with no end (none since migration 0010) counts as off shift. */
export function isOnShiftAt(row: { on_shift: number; ends_at: number | null } | undefined, now: number): boolean {
  return row !== undefined && row.on_shift === 1 && row.ends_at !== null && now < row.ends_at;
}
