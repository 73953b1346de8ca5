// What the user is looking at: the queue, the filters and search, and the open case.
import { makeAutoObservable } from 'mobx';
import type { CaseView } from '../../../shared/domain';
import type { RootStore } from './root-store';

export const ALL_QUEUES = 'all';
export type InboxFilter = 'all' | 'mine' | 'unassigned' | 'breaching';

function matchesSearch(view: CaseView, needle: string): boolean {
  if (!needle) return true;
  // Staff type numbers in national form ("07700 900123"); stored numbers are E.164 ("+447700900123").
  const digits = needle.replace(/[^\d]/g, '').replace(/^0/, '');
  return (
    view.lastMessagePreview.toLowerCase().includes(needle) ||
    (view.contactName?.toLowerCase().includes(needle) ?? false) ||
    String(view.ref) === needle.replace(/^#/, '') ||
    (digits.length >= 3 && view.contactPhone.replace(/[^\d]/g, '').includes(digits))
  );
}

export type DisplayMode = 'desk' | 'wall' | 'reports' | 'policies';

export class SelectionStore {
  /** `wall`: large type, alerts only, for a screen at the ward station. */
  mode: DisplayMode = 'desk';
  queueId: string = ALL_QUEUES;
  filter: InboxFilter = 'all';
  search = '';
  selectedCaseId: string | null = null;

  constructor(private readonly root: RootStore) {
    makeAutoObservable<this, 'root'>(this, { root: false }, { autoBind: true });
  }

  get inboxCases(): CaseView[] {
    const me = this.root.session.user?.id ?? null;
    const needle = this.search.trim().toLowerCase();
    const now = this.filter === 'breaching' ? this.root.clock.now : 0;
    return this.root.cases.activeCases.filter(
      (view) =>
        (this.queueId === ALL_QUEUES || view.queueId === this.queueId) &&
        (this.filter !== 'mine' || view.assigneeId === me) &&
        (this.filter !== 'unassigned' || view.assigneeId === null) &&
        (this.filter !== 'breaching' || isBreaching(view, now)) &&
        matchesSearch(view, needle),
    );
  }

  get selectedCase(): CaseView | undefined {
    return this.selectedCaseId === null ? undefined : this.root.cases.get(this.selectedCaseId);
  }

  get selectedIndex(): number {
    if (this.selectedCaseId === null) return -1;
    return this.inboxCases.findIndex((view) => view.id === this.selectedCaseId);
  }

  setMode(mode: DisplayMode): void {
    this.mode = mode;
  }

  setQueue(queueId: string): void {
    this.queueId = queueId;
  }

  setFilter(filter: InboxFilter): void {
    this.filter = filter;
  }

  setSearch(search: string): void {
    this.search = search;
  }

  select(caseId: string | null): void {
    this.selectedCaseId = caseId;
    if (caseId !== null && !this.root.messages.thread(caseId)) void this.root.messages.load(caseId);
  }

  /** j/k: step through the visible list, staying at its ends. */
  move(step: 1 | -1): void {
    const cases = this.inboxCases;
    if (cases.length === 0) return;
    const index = this.selectedIndex;
    const next = index === -1 ? (step === 1 ? 0 : cases.length - 1) : Math.min(cases.length - 1, Math.max(0, index + step));
    const target = cases[next];
    if (target) this.select(target.id);
  }

  reloadSelectedThread(): void {
    if (this.selectedCaseId !== null) void this.root.messages.load(this.selectedCaseId);
  }

  reset(): void {
    this.queueId = ALL_QUEUES;
    this.filter = 'all';
    this.search = '';
    this.selectedCaseId = null;
  }
}

/** Past a deadline that still needs doing: acknowledgement for open cases, a response for acknowledged ones. */
export function isBreaching(view: CaseView, now: number): boolean {
  const due = nextDeadline(view);
  return due !== null && due.at <= now;
}

export interface Deadline {
  kind: 'acknowledge' | 'respond' | 'resolve';
  at: number;
}

export function nextDeadline(view: CaseView): Deadline | null {
  if (view.status === 'resolved') return null;
  if (view.status === 'open' && view.ackDueAt !== null) return { kind: 'acknowledge', at: view.ackDueAt };
  if (view.respondDueAt !== null) return { kind: 'respond', at: view.respondDueAt };
  if (view.resolveDueAt !== null) return { kind: 'resolve', at: view.resolveDueAt };
  return null;
}
