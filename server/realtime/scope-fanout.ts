// Delivers committed events to this hub's desks: one `events` packet per commit per *scope* (the exact set of queues a
// desk may see), never one packet per event. A group commit of N events then costs each desk one frame, one syscall
// and one decode instead of N — at 50 desks the per-event writes were the largest single cost of a busy hub
// (bench/README.md). Grouping by scope rather than by queue room keeps the invariant-5 filter exact and gives every
// desk its events in seq order in one array, so a desk in several queues never sees a later event before an earlier one.
import { z } from 'zod';
import { DeskEventSchema, type DeskEvent } from '../../shared/protocol';
import type { CommittedEvent } from '../store/write-queue';

/** What hubs say to each other through the Socket.IO adapter (Redis): each commit's events, for the others' desks. */
export interface InterServerEvents {
  'desk:events': (events: CommittedEvent[]) => void;
}

/** A commit's events as another hub sent them: they crossed Redis, so they are read like any other input. */
export const CommittedEventsSchema = z.array(z.object({ event: DeskEventSchema, prevQueueId: z.string().nullable() }));

/** The one part of the Socket.IO server this needs: emitting to a room of this hub's own sockets. */
interface LocalEmitter {
  readonly local: { to(room: string): { emit(event: 'events', events: DeskEvent[]): boolean } };
}

interface Scope {
  readonly queueIds: ReadonlySet<string>;
  sockets: number;
}

/** The room of every socket that sees exactly these queues. Queue ids are sorted, so equal scopes share one room. */
function scopeKey(queueIds: readonly string[]): string {
  return JSON.stringify([...new Set(queueIds)].sort());
}

function scopeRoom(key: string): string {
  return `scope:${key}`;
}

export class ScopeFanout {
  private readonly scopes = new Map<string, Scope>();

  constructor(private readonly io: LocalEmitter) {}

  /** Puts a desk's socket in its scope's room; the caller calls `leave` with the same queues when it disconnects. */
  join(socket: { join(room: string): unknown }, queueIds: readonly string[]): void {
    const key = scopeKey(queueIds);
    const scope = this.scopes.get(key);
    if (scope === undefined) this.scopes.set(key, { queueIds: new Set(queueIds), sockets: 1 });
    else scope.sockets += 1;
    void socket.join(scopeRoom(key));
  }

  /** Socket.IO takes a disconnected socket out of its rooms; this forgets the scope once nobody on this hub has it. */
  leave(queueIds: readonly string[]): void {
    const key = scopeKey(queueIds);
    const scope = this.scopes.get(key);
    if (scope === undefined) return;
    scope.sockets -= 1;
    if (scope.sockets <= 0) this.scopes.delete(key);
  }

  /** Sends each local scope the events it may see (the case's queue, or the queue the case left), in seq order. */
  deliver(events: readonly CommittedEvent[]): void {
    if (events.length === 0) return;
    for (const [key, scope] of this.scopes) {
      const visible: DeskEvent[] = [];
      for (const { event, prevQueueId } of events) {
        if (scope.queueIds.has(event.case.queueId) || (prevQueueId !== null && scope.queueIds.has(prevQueueId))) visible.push(event);
      }
      if (visible.length > 0) this.io.local.to(scopeRoom(key)).emit('events', visible);
    }
  }
}
