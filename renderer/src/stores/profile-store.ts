// The contact and patient panel and the case timeline (`case:profile`) of the open case. Loaded when a case is opened
// and again whenever an event for it arrives (each change is audited, so the timeline has grown).
import { makeAutoObservable, observable, runInAction } from 'mobx';
import type { CaseProfileResult, DeskEvent } from '../../../shared/protocol';
import { describeCommandError, describeTransportFailure } from '../format/command-error-words';
import { consentChangeAnnouncement } from '../format/profile-words';
import { TransportError } from '../transport/transport';
import type { RootStore } from './root-store';

export type CaseProfile = Omit<Extract<CaseProfileResult, { ok: true }>, 'ok'>;

export class ProfileStore {
  readonly byCase = observable.map<string, CaseProfile>(undefined, { deep: false });
  readonly loadErrors = observable.map<string, string>();
  /** One request per case at a time; changes arriving meanwhile ask for one more load after it (a burst of events
   * during a catch-up costs two requests, not one per event). */
  private readonly inFlight = new Set<string>();
  private readonly again = new Set<string>();

  constructor(private readonly root: RootStore) {
    makeAutoObservable<this, 'root' | 'inFlight' | 'again'>(this, { root: false, byCase: false, loadErrors: false, inFlight: false, again: false }, { autoBind: true });
  }

  profile(caseId: string): CaseProfile | undefined {
    return this.byCase.get(caseId);
  }

  async load(caseId: string): Promise<void> {
    if (this.inFlight.has(caseId)) {
      this.again.add(caseId);
      return;
    }
    this.inFlight.add(caseId);
    let result: CaseProfileResult | undefined;
    let failure: string | undefined;
    try {
      result = await this.root.transport.request('case:profile', { caseId });
    } catch (error) {
      failure = describeTransportFailure(error instanceof TransportError ? error.failure : 'timeout');
    }
    this.inFlight.delete(caseId);
    if (this.again.delete(caseId)) {
      void this.load(caseId);
      return;
    }
    if (result === undefined) {
      runInAction(() => this.loadErrors.set(caseId, failure ?? 'No answer from the hub.'));
      return;
    }
    const answer = result;
    runInAction(() => {
      if (!answer.ok) {
        this.loadErrors.set(caseId, describeCommandError(answer.error));
        return;
      }
      // An answer for a case closed while it was on its way is dropped: kept, it would be taken for what the desk
      // showed when the case is opened again, and a change since then announced as if it happened in front of the user.
      if (caseId !== this.root.selection.selectedCaseId) return;
      const { ok: _ok, ...profile } = answer;
      const shown = this.byCase.get(caseId);
      this.loadErrors.delete(caseId);
      this.byCase.set(caseId, profile);
      if (shown !== undefined) this.announceConsentChange(caseId, shown, profile);
    });
  }

  /**
   * A screen-reader user about to reply hears, once and politely, that replies became refused (or allowed again) while
   * the case was open: the composer's notice alone is read only on reaching the text box. A first load says nothing
   * (the notice is there to be reached), and so does a reload that leaves replies refused or not as they were, and a
   * carrier's opt-out, already announced as the failed reply that revealed it (`consentChangeAnnouncement`).
   */
  private announceConsentChange(caseId: string, shown: CaseProfile, now: CaseProfile): void {
    const words = consentChangeAnnouncement(this.root.cases.get(caseId)?.ref ?? null, shown.contact.consents, now.contact.consents);
    if (words !== null) this.root.notices.announce(words, 'polite');
  }

  /** Only the open case's profile is kept fresh; others are dropped and loaded again when opened. */
  applyEvent(event: DeskEvent): void {
    if (event.case.id === this.root.selection.selectedCaseId) void this.load(event.case.id);
  }

  /**
   * After a full bootstrap. No event will come for what changed while the desk was away (a STOP, say), so the open
   * case's profile is fetched again, as a fresh login would show it.
   *
   * A consent change found this way is announced, like one seen live (`load` compares with what the desk showed). The
   * case stayed open on this screen the whole time, so the user may be about to reply just as much as for a change seen
   * live, and the composer's notice is still read only on reaching the box. The same STOP caught up by `sync` after a
   * shorter gap is already announced, since its event reloads the profile; whether the desk caught up by events or by
   * a bootstrap is invisible to the user and should not decide what they hear. Opening a case is different: the user
   * is going to it and will reach the notice, so a first load says nothing.
   */
  reloadOpenCase(): void {
    const caseId = this.root.selection.selectedCaseId;
    if (caseId !== null) void this.load(caseId);
  }

  opened(caseId: string | null): void {
    for (const id of [...this.byCase.keys()]) if (id !== caseId) this.byCase.delete(id);
    if (caseId !== null) void this.load(caseId);
  }

  clear(): void {
    this.byCase.clear();
    this.loadErrors.clear();
    this.again.clear();
  }
}
