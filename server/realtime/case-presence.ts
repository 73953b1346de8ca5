// Who is viewing or typing in which case, per connected desk (socket). Live state only: never stored, never an event,
// never a version bump; a hub restart starts empty and the desks say again what they are looking at. "Typing" lapses
// `typingExpiresMs` after the desk last said so, read against the injected clock (invariant 8), so a desk that
// crashes mid-sentence is not shown typing for ever. With several hubs each hub knows only its own desks (as for
// server/escalation/presence.ts): a desk on another hub is seen only through the broadcasts the adapter carries.
import type { CasePresence, PresenceViewer } from '../../shared/protocol';
import type { Clock } from '../clock';

interface Watch {
  userId: string;
  displayName: string;
  caseId: string;
  queueId: string;
  typingAt: number | null;
}

export class CasePresenceBook {
  private readonly bySocket = new Map<string, Watch>();

  constructor(
    private readonly clock: Clock,
    private readonly typingExpiresMs: number,
  ) {}

  /**
   * Records what one desk is looking at. Returns the cases whose viewers changed, each with the queue whose room must
   * hear about it: the case it left and the case it now views (one when they are the same).
   */
  set(socketId: string, who: { userId: string; displayName: string }, target: { caseId: string; queueId: string } | null, typing: boolean): { caseId: string; queueId: string }[] {
    const before = this.bySocket.get(socketId);
    const touched: { caseId: string; queueId: string }[] = [];
    if (before !== undefined && before.caseId !== target?.caseId) touched.push({ caseId: before.caseId, queueId: before.queueId });
    if (target === null) {
      this.bySocket.delete(socketId);
    } else {
      this.bySocket.set(socketId, { ...who, ...target, typingAt: typing ? this.clock.now() : null });
      touched.push(target);
    }
    return touched;
  }

  /** The desk went away: it stops being shown at once. */
  remove(socketId: string): { caseId: string; queueId: string } | undefined {
    const before = this.bySocket.get(socketId);
    this.bySocket.delete(socketId);
    return before === undefined ? undefined : { caseId: before.caseId, queueId: before.queueId };
  }

  /** The case moved queue (triage): its viewers are now announced to the new queue's room. */
  moveCase(caseId: string, queueId: string): boolean {
    let moved = false;
    for (const watch of this.bySocket.values()) {
      if (watch.caseId === caseId && watch.queueId !== queueId) {
        watch.queueId = queueId;
        moved = true;
      }
    }
    return moved;
  }

  of(caseId: string): CasePresence {
    const now = this.clock.now();
    const byUser = new Map<string, PresenceViewer>();
    for (const watch of this.bySocket.values()) {
      if (watch.caseId !== caseId) continue;
      const typing = watch.typingAt !== null && now - watch.typingAt < this.typingExpiresMs;
      const seen = byUser.get(watch.userId);
      byUser.set(watch.userId, { userId: watch.userId, displayName: watch.displayName, typing: typing || (seen?.typing ?? false) });
    }
    return { caseId, viewers: [...byUser.values()].sort((left, right) => left.displayName.localeCompare(right.displayName)) };
  }

  /** Every watched case in the given queues. */
  inQueues(queueIds: readonly string[]): CasePresence[] {
    const caseIds = new Set<string>();
    for (const watch of this.bySocket.values()) if (queueIds.includes(watch.queueId)) caseIds.add(watch.caseId);
    return [...caseIds].map((caseId) => this.of(caseId));
  }
}
