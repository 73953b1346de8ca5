// Messages between bench/timers and its desk process, parsed on arrival like any boundary.
import { z } from 'zod';

export const DeskCommandSchema = z.discriminatedUnion('type', [
  /** Connect as the given session and go on shift, so ladder steps have someone to reach. */
  z.object({ type: z.literal('connect'), url: z.string().url(), token: z.string() }),
  /** Start measuring this process's own event-loop delay afresh (just before the bursts). */
  z.object({ type: z.literal('reset') }),
  z.object({ type: z.literal('report') }),
  z.object({ type: z.literal('close') }),
]);
export type DeskCommand = z.infer<typeof DeskCommandSchema>;

export const DeskReplySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /**
   * [case id, epoch ms (fractional) the desk received its `alert.escalated`] for every one received so far; and this
   * process's own event-loop delay since the last reset (ms): a stall here is added to every step it receives late.
   */
  z.object({ type: z.literal('report'), escalations: z.array(z.tuple([z.string(), z.number()])), loopDelay: z.object({ p99: z.number(), max: z.number() }) }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type DeskReply = z.infer<typeof DeskReplySchema>;
