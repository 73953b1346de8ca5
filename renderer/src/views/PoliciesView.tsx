// Escalation policies, for administrators: each queue's promises (acknowledge, respond, resolve), its calendar and its
// ladder, with who last changed them. Edited as the JSON the config file uses — the same schema, checked before sending
// and again by the hub. Alerts already running keep the ladder they started with.
import { observer } from 'mobx-react-lite';
import { useEffect } from 'react';
import type { Duration, EscalationPolicy, NotifyTarget } from '../../../shared/escalation-policy';
import type { PolicyView } from '../../../shared/protocol';
import { formatDayAndClock } from '../format/time';
import { SubViewHeader } from './SubViewHeader';
import { NoticeBar } from './NoticeBar';
import { useStores } from './store-context';

function duration(value: Duration | undefined): string {
  if (value === undefined) return '—';
  return 'minutes' in value ? `${value.minutes} min` : `${value.workingDays} working day${value.workingDays === 1 ? '' : 's'}`;
}

function target(notify: NotifyTarget): string {
  const ward = 'ward' in notify && notify.ward !== undefined ? ` (${notify.ward === 'case' ? "the case's ward" : `ward ${notify.ward}`})` : '';
  switch (notify.kind) {
    case 'user':
      return notify.username;
    case 'on_shift':
      return `on-shift ${notify.role.replace('_', ' ')}${ward}`;
    case 'team':
      return `every ${notify.role.replace('_', ' ')}${ward}`;
  }
}

function ladder(policy: EscalationPolicy): string {
  if (policy.ladder === undefined) return 'No ladder';
  const steps = policy.ladder.steps.map((step) => `after ${step.afterMinutes} min: ${target(step.notify)}`).join('; ');
  const rounds = policy.ladder.repeat > 0 ? `${steps}; repeats ${policy.ladder.repeat}× every ${policy.ladder.repeatAfterMinutes} min` : steps;
  return policy.ladder.lastStepUntilAcknowledged === true ? `${rounds}; then the last step every ${policy.ladder.repeatAfterMinutes} min until acknowledged` : rounds;
}

function source(view: PolicyView): string {
  if (view.source === 'none') return 'No policy';
  if (view.source === 'config') return 'From the site configuration';
  return `Edited by ${view.updatedBy?.displayName ?? 'an administrator'}${view.updatedAt === null ? '' : ` at ${formatDayAndClock(view.updatedAt)}`}`;
}

export const PoliciesView = observer(function PoliciesView() {
  const { policies } = useStores();
  useEffect(() => {
    void policies.load();
  }, [policies]);
  const editing = policies.editing;

  return (
    <div className="reports">
      <SubViewHeader title="Escalation policies" />
      <div role="region" aria-label="Messages">
        <NoticeBar />
      </div>
      <main className="reports-main">
        {policies.error && (
          <p className="form-error" role="alert">
            {policies.error}
          </p>
        )}
        {policies.loading && <p role="status">Loading policies…</p>}
        <table className="report-table policy-table" data-testid="policies-table">
          <caption className="visually-hidden">Escalation policy of each queue</caption>
          <thead>
            <tr>
              <th scope="col">Queue</th>
              <th scope="col">Acknowledge by</th>
              <th scope="col">Respond by</th>
              <th scope="col">Resolve by</th>
              <th scope="col">Hours</th>
              <th scope="col">Ladder</th>
              <th scope="col">Source</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {policies.policies.map((view) => (
              <tr key={view.queueId}>
                <th scope="row">{view.queueName}</th>
                <td>{duration(view.policy?.acknowledgeBy)}</td>
                <td>{duration(view.policy?.firstResponseBy)}</td>
                <td>{duration(view.policy?.resolveBy)}</td>
                <td>{view.policy === null ? '—' : view.policy.calendar.kind === '24x7' ? '24/7' : `${view.policy.calendar.opens}–${view.policy.calendar.closes}`}</td>
                <td className="policy-ladder">{view.policy === null ? '—' : ladder(view.policy)}</td>
                <td>{source(view)}</td>
                <td>
                  <button type="button" onClick={() => policies.edit(view.queueId)} aria-label={`Edit the policy of ${view.queueName}`}>
                    Edit
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {editing !== null && (
          <section aria-labelledby="policy-editor-title" className="report policy-editor">
            <h2 id="policy-editor-title">Edit the policy of {policies.policies.find((view) => view.queueId === editing.queueId)?.queueName ?? editing.queueId}</h2>
            <p>
              The same JSON as the <code>policies</code> entries of <code>clarion.config.json</code> (docs/escalation.md). New alerts follow it once
              saved; alerts already running keep the ladder they started with. Every change is audited.
            </p>
            <label htmlFor="policy-draft">Policy (JSON)</label>
            <textarea
              id="policy-draft"
              rows={18}
              spellCheck={false}
              value={editing.draft}
              onChange={(event) => policies.setDraft(event.target.value)}
              aria-describedby={editing.problem === null ? undefined : 'policy-problem'}
              aria-invalid={editing.problem !== null}
            />
            {editing.problem !== null && (
              <pre className="form-error" id="policy-problem" role="alert">
                {editing.problem}
              </pre>
            )}
            <div className="policy-actions">
              <button type="button" className="primary" onClick={() => void policies.save()} disabled={policies.saving}>
                Save policy
              </button>
              <button type="button" onClick={() => policies.cancel()}>
                Cancel
              </button>
            </div>
          </section>
        )}
      </main>
    </div>
  );
});
