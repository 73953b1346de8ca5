// Links the case's contact to the patient the conversation is about, found by NHS number (or recorded now). Until
// someone does, a message on a shared ward line goes to triage; after it, the contact's next conversation opens in the
// patient's ward. The hub checks the NHS number and the ward; the form checks the NHS number first so a typo is caught
// before sending.
import { observer } from 'mobx-react-lite';
import { useState, type FormEvent } from 'react';
import { RelationSchema, type CaseView, type Relation } from '../../../shared/domain';
import { isValidNhsNumber } from '../../../shared/nhs-number';
import { relationLabel } from '../format/profile-words';
import { useStores } from './store-context';

export const LinkPatientForm = observer(function LinkPatientForm({ caseView, linked }: { caseView: CaseView; linked: boolean }) {
  const { cases } = useStores();
  const id = caseView.id;
  const [nhsNumber, setNhsNumber] = useState('');
  const [name, setName] = useState('');
  const [ward, setWard] = useState('');
  const [relation, setRelation] = useState<Relation>('unknown');
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!isValidNhsNumber(nhsNumber)) {
      setError('That is not a valid NHS number: 10 digits, such as 943 476 5919.');
      return;
    }
    if (name.trim() === '') {
      setError("Enter the patient's name.");
      return;
    }
    setError(null);
    const done = await cases.linkPatient(id, { nhsNumber, name: name.trim(), ward: ward.trim() === '' ? null : ward.trim(), relation });
    if (done) {
      setNhsNumber('');
      setName('');
      setWard('');
    }
  }

  return (
    <details className="link-patient">
      <summary>{linked ? 'Link to a different patient…' : 'Link to a patient…'}</summary>
      <form className="tool-row" onSubmit={(event) => void submit(event)} aria-label="Link the contact to a patient">
        <label htmlFor={`nhs-${id}`}>NHS number</label>
        <input id={`nhs-${id}`} value={nhsNumber} maxLength={12} size={12} inputMode="numeric" autoComplete="off" onChange={(event) => setNhsNumber(event.target.value)} />
        <label htmlFor={`patient-name-${id}`}>Patient&apos;s name</label>
        <input id={`patient-name-${id}`} value={name} maxLength={200} autoComplete="off" onChange={(event) => setName(event.target.value)} />
        <label htmlFor={`patient-ward-${id}`}>Ward (if known)</label>
        <input id={`patient-ward-${id}`} value={ward} maxLength={16} size={5} onChange={(event) => setWard(event.target.value)} />
        <label htmlFor={`relation-${id}`}>The contact is</label>
        <select id={`relation-${id}`} value={relation} onChange={(event) => setRelation(RelationSchema.parse(event.target.value))}>
          {RelationSchema.options.map((option) => (
            <option key={option} value={option}>
              {relationLabel(option)}
            </option>
          ))}
        </select>
        <button type="submit" disabled={cases.pending.has(id)}>
          Link
        </button>
        {error !== null && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </details>
  );
});
