// Admins edit a queue's escalation policy at the desk. The edit is validated by the same schema as the config file,
// stored with an audit row that keeps what it replaced (one transaction, idempotent by command id), and applied to the
// policy book after the commit: alerts that start later follow it, ladders already running keep their snapshot.
import { z } from 'zod';
import type { UserView } from '../../shared/domain';
import { EscalationPolicySchema, type EscalationPolicy } from '../../shared/escalation-policy';
import { PolicySetRequestSchema, PolicySetResultSchema, type PoliciesListResult, type PolicySetResult, type PolicyView } from '../../shared/protocol';
import type { SiteConfig } from '../config/site-config';
import type { Logger } from '../observability/logger';
import { answerOnce } from '../commands/command-ledger';
import { appendAudit } from '../store/audit-log';
import type { Store } from '../store/open-store';
import type { WriteUnit } from '../store/write-queue';
import type { PolicyBook } from './policy-book';

const COMMAND_NAME = 'policies:set';

interface Edit {
  updatedAt: number;
  updatedBy: { userId: string; displayName: string };
}

export class PolicyEditor {
  private readonly edits = new Map<string, Edit>();
  private refresher: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly site: SiteConfig,
    private readonly book: PolicyBook,
    private readonly log: Logger,
  ) {}

  /** Applies the stored edits over the config's policies; run once at start, before any alert can start. */
  async load(): Promise<void> {
    const rows = await this.store.db
      .selectFrom('queue_policies')
      .innerJoin('users', 'users.id', 'queue_policies.updated_by')
      .select(['queue_policies.queue_id', 'queue_policies.policy', 'queue_policies.updated_at', 'queue_policies.updated_by', 'users.display_name'])
      .execute();
    for (const row of rows) {
      const parsed = EscalationPolicySchema.safeParse(JSON.parse(row.policy));
      // A stored edit for a queue the config no longer has, or one a newer schema rejects, is reported and skipped:
      // the queue falls back to its config policy rather than stopping the hub.
      if (!this.site.queues.some((queue) => queue.id === row.queue_id) || !parsed.success) {
        this.log.warn({ queueId: row.queue_id }, '[escalation] stored policy edit ignored: its queue is gone or it no longer validates');
        continue;
      }
      this.book.replace(parsed.data);
      this.edits.set(row.queue_id, { updatedAt: row.updated_at, updatedBy: { userId: row.updated_by, displayName: row.display_name } });
    }
  }

  /**
   * Re-reads the stored edits every `intervalMs`, so that with several hubs on one store an edit made on one reaches
   * the others' new alerts within that time instead of at their next restart.
   */
  startRefreshing(intervalMs: number): void {
    if (intervalMs <= 0 || this.refresher !== undefined) return;
    this.refresher = setInterval(() => void this.load().catch((error: unknown) => this.log.error({ err: error }, '[policies] refresh failed')), intervalMs);
    this.refresher.unref();
  }

  stop(): void {
    if (this.refresher !== undefined) clearInterval(this.refresher);
    this.refresher = undefined;
  }

  list(user: UserView): PoliciesListResult {
    if (user.role !== 'admin') return { ok: false, error: { code: 'forbidden', message: 'Only an administrator can see and change escalation policies.' } };
    return { ok: true, policies: this.site.queues.map((queue) => this.view(queue.id)) };
  }

  async set(user: UserView, payload: unknown): Promise<PolicySetResult> {
    const parsed = PolicySetRequestSchema.safeParse(payload);
    if (!parsed.success) return { ok: false, error: { code: 'invalid', message: `That policy is not valid: ${z.prettifyError(parsed.error)}` } };
    const { commandId, policy } = parsed.data;
    const result = await this.store.writes.run((unit) =>
      answerOnce(unit, { commandId, name: COMMAND_NAME, userId: user.id }, PolicySetResultSchema, () => this.apply(unit, user, policy)),
    );
    // The book changes only after the commit: an edit that did not commit never reaches an alert.
    if (result.ok && result.policy.policy !== null) {
      this.book.replace(result.policy.policy);
      this.edits.set(result.policy.queueId, { updatedAt: result.policy.updatedAt ?? 0, updatedBy: result.policy.updatedBy ?? { userId: user.id, displayName: user.displayName } });
    }
    return result;
  }

  private async apply(unit: WriteUnit, user: UserView, policy: EscalationPolicy): Promise<PolicySetResult> {
    if (user.role !== 'admin') return { ok: false, error: { code: 'forbidden', message: 'Only an administrator can change escalation policies.' } };
    const queue = this.site.queues.find((candidate) => candidate.id === policy.queueId);
    if (queue === undefined) return { ok: false, error: { code: 'invalid', message: `There is no queue called "${policy.queueId}".` } };
    const before = this.book.forQueue(policy.queueId)?.policy ?? null;
    const row = { policy: JSON.stringify(policy), updated_at: unit.now, updated_by: user.id };
    await unit.trx
      .insertInto('queue_policies')
      .values({ queue_id: policy.queueId, ...row })
      .onConflict((conflict) => conflict.column('queue_id').doUpdateSet(row))
      .execute();
    await appendAudit(unit, { actorType: 'user', actorId: user.id, action: 'policy.updated', caseId: null, detail: { queueId: policy.queueId, before, after: policy } });
    return {
      ok: true,
      policy: { queueId: queue.id, queueName: queue.name, policy, source: 'edited', updatedAt: unit.now, updatedBy: { userId: user.id, displayName: user.displayName } },
    };
  }

  private view(queueId: string): PolicyView {
    const queue = this.site.queues.find((candidate) => candidate.id === queueId);
    const policy = this.book.forQueue(queueId)?.policy ?? null;
    const edit = this.edits.get(queueId);
    return {
      queueId,
      queueName: queue?.name ?? queueId,
      policy,
      source: edit !== undefined ? 'edited' : policy !== null ? 'config' : 'none',
      updatedAt: edit?.updatedAt ?? null,
      updatedBy: edit?.updatedBy ?? null,
    };
  }
}
