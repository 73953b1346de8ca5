// Who and where: the queues this user sees and the colleagues cases can be assigned to.
import { makeAutoObservable } from 'mobx';
import type { UserView } from '../../../shared/domain';
import type { QueueView } from '../../../shared/protocol';

export class DirectoryStore {
  queues: QueueView[] = [];
  staff = new Map<string, UserView>();

  constructor() {
    makeAutoObservable(this, {}, { autoBind: true });
  }

  load(queues: QueueView[], staff: UserView[]): void {
    this.queues = queues;
    this.staff = new Map(staff.map((user) => [user.id, user]));
  }

  displayName(userId: string | null): string | null {
    if (userId === null) return null;
    return this.staff.get(userId)?.displayName ?? 'a colleague';
  }

  /**
   * Whether this desk sees the queue: a case in it is in the desk's list and tray. Before the desk knows its queues (no
   * bootstrap yet) every queue is taken as seen.
   */
  sees(queueId: string): boolean {
    return this.queues.length === 0 || this.queues.some((queue) => queue.id === queueId);
  }

  queueName(queueId: string): string {
    return this.queues.find((queue) => queue.id === queueId)?.name ?? queueId;
  }

  /** The longest silence the queue allows (minutes), as the hub said at bootstrap; undefined if it did not say. */
  silenceLimit(queueId: string): number | undefined {
    return this.queues.find((queue) => queue.id === queueId)?.maxSilenceMinutes;
  }

  reset(): void {
    this.queues = [];
    this.staff = new Map();
  }
}
