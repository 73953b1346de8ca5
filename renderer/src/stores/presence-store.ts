// Who else is viewing or typing in a case (issue 5, item 4), and telling the hub what this desk is looking at.
// Live state from the hub's `presence` pushes, outside the event sequence: on every (re)connect the desk asks for the
// whole picture again and says which case it has open; while disconnected it shows nobody rather than a stale guess.
// "Typing" lapses `typingExpiresMs` after the last push that said so, unless the colleague's desk refreshes it.
import { makeAutoObservable, observable, runInAction } from 'mobx';
import { TYPING_REFRESH_MS, type CasePresence, type PresenceViewer } from '../../../shared/protocol';
import type { TransportStatus } from '../transport/transport';
import type { RootStore } from './root-store';

export class PresenceStore {
  /** Everyone the hub says is viewing each case (this user included; views leave them out). */
  readonly byCase = observable.map<string, readonly PresenceViewer[]>(undefined, { deep: false });
  /** `caseId userId` of typists whose typing has lapsed on this desk since the push that said so. */
  readonly lapsed = observable.set<string>();
  private readonly typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** What this desk last told the hub, so typing is refreshed at most every TYPING_REFRESH_MS. */
  private viewing: string | null = null;
  private typingSaidAt: number | null = null;

  constructor(
    private readonly root: RootStore,
    private readonly typingExpiresMs: number,
    private readonly readClock: () => number,
  ) {
    makeAutoObservable<this, 'root' | 'typingTimers' | 'viewing' | 'typingSaidAt' | 'typingExpiresMs' | 'readClock'>(
      this,
      { root: false, byCase: false, lapsed: false, typingTimers: false, viewing: false, typingSaidAt: false, typingExpiresMs: false, readClock: false },
      { autoBind: true },
    );
  }

  /** Colleagues (not this user) viewing the case, with typing as this desk currently believes it. */
  othersOn(caseId: string): PresenceViewer[] {
    const me = this.root.session.user?.id;
    return (this.byCase.get(caseId) ?? [])
      .filter((viewer) => viewer.userId !== me)
      .map((viewer) => ({ ...viewer, typing: viewer.typing && !this.lapsed.has(key(caseId, viewer.userId)) }));
  }

  apply(update: CasePresence): void {
    if (update.viewers.length === 0) this.byCase.delete(update.caseId);
    else this.byCase.set(update.caseId, update.viewers);
    for (const viewer of update.viewers) {
      const id = key(update.caseId, viewer.userId);
      this.clearTimer(id);
      this.lapsed.delete(id);
      if (viewer.typing) this.typingTimers.set(id, setTimeout(() => this.lapse(id), this.typingExpiresMs));
    }
  }

  lapse(id: string): void {
    this.typingTimers.delete(id);
    this.lapsed.add(id);
  }

  onTransportStatus(status: TransportStatus): void {
    if (status.kind === 'connected') {
      void this.refresh();
      return;
    }
    this.clear();
  }

  /** The whole picture for this desk's queues, then this desk's own case (the hub forgot it if it restarted). */
  async refresh(): Promise<void> {
    try {
      const result = await this.root.transport.request('presence:list', {});
      if (!result.ok) return;
      runInAction(() => {
        this.clear();
        for (const update of result.cases) this.apply(update);
      });
      this.typingSaidAt = null;
      if (this.viewing !== null) await this.say(this.viewing, false);
    } catch (error) {
      console.error('[presence] refresh failed', error instanceof Error ? error.message : error);
    }
  }

  /** The desk opened a case (or closed it: null). Resolves once the hub has it (or at once, offline). */
  view(caseId: string | null): Promise<void> {
    this.viewing = caseId;
    this.typingSaidAt = null;
    return this.say(caseId, false).catch(() => undefined);
  }

  /** The user typed in the composer of the open case; sent at most every TYPING_REFRESH_MS. */
  typing(caseId: string): void {
    const now = this.readClock();
    if (this.viewing !== caseId) return;
    if (this.typingSaidAt !== null && now - this.typingSaidAt < TYPING_REFRESH_MS) return;
    this.typingSaidAt = now;
    void this.say(caseId, true).catch(() => undefined);
  }

  /** The draft was sent or emptied: stop showing this user as typing at once. */
  stoppedTyping(caseId: string): void {
    if (this.viewing !== caseId || this.typingSaidAt === null) return;
    this.typingSaidAt = null;
    void this.say(caseId, false).catch(() => undefined);
  }

  clear(): void {
    for (const timer of this.typingTimers.values()) clearTimeout(timer);
    this.typingTimers.clear();
    this.byCase.clear();
    this.lapsed.clear();
  }

  reset(): void {
    this.clear();
    this.viewing = null;
    this.typingSaidAt = null;
  }

  private async say(caseId: string | null, typing: boolean): Promise<void> {
    // Presence is a courtesy: offline, nothing is sent (the next connect says it again).
    if (!this.root.transport.connected) return;
    await this.root.transport.request('presence:set', { caseId, typing });
  }

  private clearTimer(id: string): void {
    const timer = this.typingTimers.get(id);
    if (timer !== undefined) clearTimeout(timer);
    this.typingTimers.delete(id);
  }
}

function key(caseId: string, userId: string): string {
  return `${caseId} ${userId}`;
}
