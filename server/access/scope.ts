// Invariant 5: what a member of staff may see, decided here and nowhere else. Sockets join rooms from this, and every
// command re-checks it against the case as stored.
import type { QueueView } from '../../shared/protocol';
import type { Role, UserView } from '../../shared/domain';
import type { Queue, SiteConfig } from '../config/site-config';

export type StaffMember = UserView;

export function canSeeQueue(user: Pick<StaffMember, 'role' | 'wards'>, queue: Queue): boolean {
  if (user.role === 'admin') return true;
  if (!queue.roles.includes(user.role)) return false;
  // A ward's own queue belongs to the nurses of that ward; other roles listed on it see it whole.
  if (queue.ward !== undefined && user.role === 'ward_nurse') return user.wards.includes(queue.ward);
  return true;
}

export function visibleQueues(user: Pick<StaffMember, 'role' | 'wards'>, site: SiteConfig): Queue[] {
  return site.queues.filter((queue) => canSeeQueue(user, queue));
}

export function canSeeQueueId(user: Pick<StaffMember, 'role' | 'wards'>, site: SiteConfig, queueId: string): boolean {
  const queue = site.queues.find((candidate) => candidate.id === queueId);
  return queue !== undefined && canSeeQueue(user, queue);
}

export function queueRoom(queueId: string): string {
  return `queue:${queueId}`;
}

export function toQueueView(queue: Queue): QueueView {
  return { id: queue.id, name: queue.name, ward: queue.ward ?? null };
}

export const ROLE_LABELS: Record<Role, string> = {
  ward_nurse: 'Ward nurse',
  pals_officer: 'PALS officer',
  outreach: 'Outreach (rapid response)',
  admin: 'Administrator',
};
