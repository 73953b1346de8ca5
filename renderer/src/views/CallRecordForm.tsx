// Martha's Rule call record: who is calling and about whom. NHS England counts calls by caller type,
// so this is what makes the monthly figures more than "not recorded".
import { observer } from 'mobx-react-lite';
import { useState, type FormEvent } from 'react';
import { CallerTypeSchema, type CaseView } from '../../../shared/domain';
import { callerLabel } from '../format/call-words';
import type { CallDetails } from '../stores/case-store';
import { useStores } from './store-context';

export const CallRecordForm = observer(function CallRecordForm({ caseView }: { caseView: CaseView }) {
  const { cases } = useStores();
  const id = caseView.id;
  const [callerType, setCallerType] = useState('');
  const [patientName, setPatientName] = useState('');
  const [ward, setWard] = useState('');
  const [concern, setConcern] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    const caller = CallerTypeSchema.safeParse(callerType);
    const details: CallDetails = {
      ...(caller.success ? { callerType: caller.data } : {}),
      ...(patientName.trim() ? { patientName: patientName.trim() } : {}),
      ...(ward.trim() ? { ward: ward.trim() } : {}),
      ...(concern.trim() ? { concern: concern.trim() } : {}),
    };
    if (Object.keys(details).length > 0) void cases.recordCall(id, details);
  }

  return (
    <form className="tool-row" onSubmit={submit} aria-label="Martha's Rule call record">
      <label htmlFor={`caller-${id}`}>Caller</label>
      <select id={`caller-${id}`} value={callerType} onChange={(event) => setCallerType(event.target.value)}>
        <option value="">Not recorded</option>
        {CallerTypeSchema.options.map((option) => (
          <option key={option} value={option}>
            {callerLabel(option)}
          </option>
        ))}
      </select>
      <label htmlFor={`patient-${id}`}>Patient name</label>
      <input id={`patient-${id}`} value={patientName} maxLength={200} onChange={(event) => setPatientName(event.target.value)} />
      <label htmlFor={`ward-${id}`}>Ward</label>
      <input id={`ward-${id}`} value={ward} maxLength={16} size={5} onChange={(event) => setWard(event.target.value)} />
      <label htmlFor={`concern-${id}`}>Concern</label>
      <input id={`concern-${id}`} value={concern} maxLength={2000} onChange={(event) => setConcern(event.target.value)} />
      <button type="submit" disabled={cases.pending.has(id)}>
        Record call
      </button>
    </form>
  );
});
