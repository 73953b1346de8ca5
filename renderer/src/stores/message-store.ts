// Threads of the cases the user has opened. Only opened threads are held: with 10,000 open cases the
// desk keeps case rows, not every message.
import { makeAutoObservable, observable, runInAction } from 'mobx';
import { isUndelivered, type MessageView } from '../../../shared/domain';
import type { DeskEvent } from '../../../shared/protocol';
import { describeCommandError, describeTransportFailure } from '../format/command-error-words';
import { TransportError } from '../transport/transport';
import type { RootStore } from './root-store';

function byTime(left: MessageView, right: MessageView): number {
  return left.createdAt - right.createdAt || left.id.localeCompare(right.id);
}

export class MessageStore {
  readonly threads = observable.map<string, readonly MessageView[]>(undefined, { deep: false });
  readonly loading = observable.set<string>();
  readonly loadErrors = observable.map<string, string>();

  constructor(private readonly root: RootStore) {
    makeAutoObservable<this, 'root'>(this, { root: false, threads: false, loading: false, loadErrors: false }, { autoBind: true });
  }

  thread(caseId: string): readonly MessageView[] | undefined {
    return this.threads.get(caseId);
  }

  async load(caseId: string): Promise<void> {
    this.loading.add(caseId);
    this.loadErrors.delete(caseId);
    try {
      const result = await this.root.transport.request('case:detail', { caseId });
      runInAction(() => {
        this.loading.delete(caseId);
        if (!result.ok) {
          this.loadErrors.set(caseId, describeCommandError(result.error));
          return;
        }
        this.root.cases.upsert(result.case);
        // Events that arrived while loading are in the answer or newer; merge rather than replace.
        this.merge(caseId, result.messages, true);
      });
    } catch (error) {
      runInAction(() => {
        this.loading.delete(caseId);
        this.loadErrors.set(caseId, describeTransportFailure(error instanceof TransportError ? error.failure : 'timeout'));
      });
    }
  }

  applyEvent(event: DeskEvent): void {
    const message = event.message;
    if (!message) return;
    // Unknown when this thread is not held: then any failure that arrives is news.
    const before = this.threads.get(message.caseId)?.find((candidate) => candidate.id === message.id)?.deliveryState ?? null;
    this.merge(message.caseId, [message], false);
    if (message.direction === 'outbound' && isUndelivered(message.deliveryState) && !isUndelivered(before)) this.root.cases.replyUndelivered(event.case, message);
  }

  /** Drops what is held of one case's thread: the case left this desk's sight, and nothing more of it will arrive. */
  forget(caseId: string): void {
    this.threads.delete(caseId);
    this.loadErrors.delete(caseId);
  }

  clear(): void {
    this.threads.clear();
    this.loadErrors.clear();
  }

  /** Adds or replaces messages by id (delivery updates re-send a message with its new state). */
  private merge(caseId: string, incoming: readonly MessageView[], createIfMissing: boolean): void {
    const existing = this.threads.get(caseId);
    if (!existing && !createIfMissing) return;
    const merged = new Map((existing ?? []).map((message) => [message.id, message]));
    for (const message of incoming) merged.set(message.id, message);
    this.threads.set(caseId, [...merged.values()].sort(byTime));
  }
}
