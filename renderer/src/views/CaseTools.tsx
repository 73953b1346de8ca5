// The less frequent actions, one click away so the main row stays calm: triage, hand to a colleague,
// give back, silence escalation, page another responder.
import { observer } from 'mobx-react-lite';
import { useState, type FormEvent } from 'react';
import { CategorySchema, PrioritySchema, type CaseView } from '../../../shared/domain';
import { categoryLabel, priorityLabel } from '../format/labels';
import { silenceChoices } from '../format/silence-choices';
import { CallRecordForm } from './CallRecordForm';
import { useStores } from './store-context';

export const CaseTools = observer(function CaseTools({ caseView }: { caseView: CaseView }) {
  const { cases, directory, session } = useStores();
  const pending = cases.pending.has(caseView.id);
  const id = caseView.id;
  const [priority, setPriority] = useState(String(caseView.priority));
  const [category, setCategory] = useState<string>(caseView.category);
  const [queueId, setQueueId] = useState(caseView.queueId);
  const [assignee, setAssignee] = useState('');
  const [pageUser, setPageUser] = useState('');
  const [minutes, setMinutes] = useState('15');
  const colleagues = [...directory.staff.values()].filter((member) => member.id !== session.user?.id);
  // Only what the case's queue allows (H12); a choice no longer offered (the case moved queue) falls to the longest left.
  const silences = silenceChoices(directory.silenceLimit(caseView.queueId));
  const silenceMinutes = silences.includes(Number(minutes)) ? Number(minutes) : silences[silences.length - 1]!;

  function triage(event: FormEvent) {
    event.preventDefault();
    const parsedPriority = PrioritySchema.safeParse(Number(priority));
    const parsedCategory = CategorySchema.safeParse(category);
    const change = {
      ...(parsedPriority.success && parsedPriority.data !== caseView.priority ? { priority: parsedPriority.data } : {}),
      ...(parsedCategory.success && parsedCategory.data !== caseView.category ? { category: parsedCategory.data } : {}),
      ...(queueId !== caseView.queueId ? { queueId } : {}),
    };
    if (Object.keys(change).length > 0) void cases.triage(id, change);
  }

  return (
    <details className="case-tools">
      <summary>More actions</summary>
      {caseView.category === 'martha_rule' && <CallRecordForm caseView={caseView} />}
      <form className="tool-row" onSubmit={triage} aria-label="Triage">
        <label htmlFor={`priority-${id}`}>Priority</label>
        <select id={`priority-${id}`} value={priority} onChange={(event) => setPriority(event.target.value)}>
          {PrioritySchema.options.map((option) => (
            <option key={option.value} value={option.value}>
              {priorityLabel(option.value)}
            </option>
          ))}
        </select>
        <label htmlFor={`category-${id}`}>Category</label>
        <select id={`category-${id}`} value={category} onChange={(event) => setCategory(event.target.value)}>
          {CategorySchema.options.map((option) => (
            <option key={option} value={option}>
              {categoryLabel(option)}
            </option>
          ))}
        </select>
        <label htmlFor={`queue-${id}`}>Queue</label>
        <select id={`queue-${id}`} value={queueId} onChange={(event) => setQueueId(event.target.value)}>
          {directory.queues.map((queue) => (
            <option key={queue.id} value={queue.id}>
              {queue.name}
            </option>
          ))}
        </select>
        <button type="submit" disabled={pending}>
          Apply triage
        </button>
      </form>
      <div className="tool-row">
        <label htmlFor={`assignee-${id}`}>Assign to</label>
        <select id={`assignee-${id}`} value={assignee} onChange={(event) => setAssignee(event.target.value)}>
          <option value="">Choose a colleague…</option>
          <option value="-">Nobody (unassign)</option>
          {colleagues.map((member) => (
            <option key={member.id} value={member.id}>
              {member.displayName}
            </option>
          ))}
        </select>
        <button type="button" disabled={pending || assignee === ''} onClick={() => void cases.assign(id, assignee === '-' ? null : assignee)}>
          Assign
        </button>
        <label htmlFor={`page-${id}`}>Page</label>
        <select id={`page-${id}`} value={pageUser} onChange={(event) => setPageUser(event.target.value)}>
          <option value="">Choose a responder…</option>
          {colleagues.map((member) => (
            <option key={member.id} value={member.id}>
              {member.displayName}
            </option>
          ))}
        </select>
        <button type="button" disabled={pending || pageUser === ''} onClick={() => void cases.page(id, [pageUser])}>
          Page
        </button>
      </div>
      <div className="tool-row">
        {caseView.status === 'acknowledged' && (
          <button type="button" disabled={pending} onClick={() => void cases.unacknowledge(id)}>
            Un-acknowledge
          </button>
        )}
        {/* The hub silences only alerts still waiting for acknowledgement. */}
        {caseView.status === 'open' && (
          <>
            <label htmlFor={`silence-${id}`}>Silence escalation for</label>
            <select id={`silence-${id}`} value={String(silenceMinutes)} onChange={(event) => setMinutes(event.target.value)}>
              {silences.map((option) => (
                <option key={option} value={option}>
                  {option} min
                </option>
              ))}
            </select>
            <button type="button" disabled={pending} onClick={() => void cases.silence(id, silenceMinutes)}>
              Silence
            </button>
          </>
        )}
      </div>
    </details>
  );
});
