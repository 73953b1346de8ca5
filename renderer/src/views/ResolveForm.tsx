import { observer } from 'mobx-react-lite';
import { useState, type FormEvent } from 'react';
import { MARTHA_OUTCOMES, OutcomeSchema, type CaseView, type Outcome } from '../../../shared/domain';
import { outcomeLabel } from '../format/labels';
import { useStores } from './store-context';

/** Martha's Rule calls are resolved with the outcomes NHS England counts; other cases with the rest. */
function outcomesFor(caseView: CaseView): readonly Outcome[] {
  if (caseView.category === 'martha_rule') return [...MARTHA_OUTCOMES, 'duplicate'];
  return OutcomeSchema.options.filter((outcome) => !MARTHA_OUTCOMES.includes(outcome) || outcome === 'redirected_pals');
}

export const ResolveForm = observer(function ResolveForm({ caseView }: { caseView: CaseView }) {
  const { cases } = useStores();
  const [outcome, setOutcome] = useState<Outcome | ''>('');
  const pending = cases.pending.has(caseView.id);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (outcome === '') return;
    void cases.resolve(caseView.id, outcome);
  }

  return (
    <form className="resolve-form" onSubmit={submit}>
      <label htmlFor={`outcome-${caseView.id}`}>Outcome</label>
      <select
        id={`outcome-${caseView.id}`}
        data-testid="outcome"
        value={outcome}
        required
        onChange={(event) => {
          const parsed = OutcomeSchema.safeParse(event.target.value);
          setOutcome(parsed.success ? parsed.data : '');
        }}
      >
        <option value="">Choose an outcome…</option>
        {outcomesFor(caseView).map((option) => (
          <option key={option} value={option}>
            {outcomeLabel(option)}
          </option>
        ))}
      </select>
      <button type="submit" disabled={pending || outcome === ''}>
        Resolve
      </button>
    </form>
  );
});
