// Messages between the bench's processes (orchestrator ↔ desks), parsed on arrival like any boundary.
import { z } from 'zod';

export const DeskCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('connect'), url: z.string().url(), token: z.string().optional(), desks: z.number().int().min(1).max(500) }),
  /** Forget what was counted so far (between phases). */
  z.object({ type: z.literal('reset') }),
  z.object({ type: z.literal('report') }),
  z.object({ type: z.literal('close') }),
]);
export type DeskCommand = z.infer<typeof DeskCommandSchema>;

export const DeskReplySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('connected'), desks: z.number().int(), connectMs: z.number() }),
  z.object({ type: z.literal('reset') }),
  z.object({
    type: z.literal('report'),
    /** [bench id, time the last desk received it (epoch ms, fractional)] for every message all desks received. */
    completed: z.array(z.tuple([z.number().int(), z.number()])),
    /** Messages some but not all desks received. */
    partial: z.number().int(),
    /** CPU the desk process used since the last reset, in ms (user + system). */
    cpuMs: z.number(),
    /** This process's own event-loop delay since the last reset (ms): a stall here delays every desk's receipt. */
    loopDelay: z.object({ p99: z.number(), max: z.number() }),
  }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type DeskReply = z.infer<typeof DeskReplySchema>;

/** Wall-clock milliseconds with sub-millisecond resolution, comparable between processes on one machine. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

/** The bench id rides in the message text as `bench#<id>#`: the only thing both pipelines carry end to end. */
export const BENCH_ID = /bench#(\d+)#/;
