// Escalation policies, for administrators: what each queue promises and who its ladder calls. An edit is checked here
// with the same schema the hub uses (so the admin sees the problem before sending) and again by the hub, which is the
// authority; the list then shows the hub's answer, not the draft.
import { makeAutoObservable, runInAction } from 'mobx';
import { z } from 'zod';
import { EscalationPolicySchema } from '../../../shared/escalation-policy';
import type { PolicyView } from '../../../shared/protocol';
import { describeCommandError, describeTransportFailure } from '../format/command-error-words';
import { TransportError } from '../transport/transport';
import { newCommandId } from './command-id';
import type { RootStore } from './root-store';

export class PolicyStore {
  policies: PolicyView[] = [];
  loading = false;
  error: string | null = null;
  /** The queue being edited and its JSON draft; null when nothing is open. */
  editing: { queueId: string; draft: string; problem: string | null } | null = null;
  saving = false;

  constructor(private readonly root: RootStore) {
    makeAutoObservable<this, 'root'>(this, { root: false }, { autoBind: true });
  }

  async load(): Promise<void> {
    this.loading = true;
    this.error = null;
    try {
      const result = await this.root.transport.request('policies:list', {});
      runInAction(() => {
        this.loading = false;
        if (result.ok) this.policies = result.policies;
        else this.error = describeCommandError(result.error);
      });
    } catch (error) {
      runInAction(() => {
        this.loading = false;
        this.error = describeTransportFailure(error instanceof TransportError ? error.failure : 'timeout');
      });
    }
  }

  edit(queueId: string): void {
    const view = this.policies.find((candidate) => candidate.queueId === queueId);
    const starting = view?.policy ?? { queueId, calendar: { kind: '24x7' }, acknowledgeBy: { minutes: 15 } };
    this.editing = { queueId, draft: JSON.stringify(starting, null, 2), problem: null };
  }

  setDraft(draft: string): void {
    if (this.editing !== null) this.editing = { ...this.editing, draft, problem: null };
  }

  cancel(): void {
    this.editing = null;
  }

  /** Returns true when the hub stored the policy. */
  async save(): Promise<boolean> {
    const editing = this.editing;
    if (editing === null) return false;
    let json: unknown;
    try {
      json = JSON.parse(editing.draft);
    } catch (error) {
      this.editing = { ...editing, problem: `This is not valid JSON: ${(error as Error).message}` };
      return false;
    }
    const checked = EscalationPolicySchema.safeParse(json);
    if (!checked.success) {
      this.editing = { ...editing, problem: z.prettifyError(checked.error) };
      return false;
    }
    if (checked.data.queueId !== editing.queueId) {
      this.editing = { ...editing, problem: `queueId must stay "${editing.queueId}".` };
      return false;
    }
    this.saving = true;
    try {
      const result = await this.root.transport.request('policies:set', { commandId: newCommandId(), policy: checked.data });
      runInAction(() => {
        this.saving = false;
        if (!result.ok) {
          if (this.editing !== null) this.editing = { ...this.editing, problem: describeCommandError(result.error) };
          return;
        }
        this.policies = this.policies.map((view) => (view.queueId === result.policy.queueId ? result.policy : view));
        this.editing = null;
        this.root.notices.show('info', `Policy for ${result.policy.queueName} saved. New alerts follow it; alerts already running keep theirs.`);
      });
      return result.ok;
    } catch (error) {
      runInAction(() => {
        this.saving = false;
        if (this.editing !== null) this.editing = { ...this.editing, problem: describeTransportFailure(error instanceof TransportError ? error.failure : 'timeout') };
      });
      return false;
    }
  }
}
