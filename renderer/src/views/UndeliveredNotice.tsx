// The case's "reply not delivered" mark, in the case panel, with the one way to clear it by hand: say what was done
// instead (usually a phone call). The hub clears it by itself when a later reply is delivered.
import { observer } from 'mobx-react-lite';
import { useState, type FormEvent } from 'react';
import type { CaseView } from '../../../shared/domain';
import { replyUndeliveredWords } from '../format/undelivered-words';
import { useStores } from './store-context';

export const UndeliveredNotice = observer(function UndeliveredNotice({ caseView }: { caseView: CaseView }) {
  const { cases, session } = useStores();
  const [note, setNote] = useState('Phoned the family');
  const mark = caseView.replyUndelivered ?? null;
  if (mark === null) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (note.trim() !== '') void cases.dismissUndelivered(caseView.id, note.trim());
  };
  return (
    <form className="undelivered-notice" aria-label="Reply not delivered" onSubmit={submit} data-testid="undelivered-notice">
      <p className="delivery-error">{replyUndeliveredWords(mark, session.user?.id)}</p>
      <label>
        What was done instead
        <input value={note} maxLength={500} onChange={(event) => setNote(event.target.value)} />
      </label>
      <button type="submit" disabled={cases.pending.has(caseView.id) || note.trim() === ''}>
        Mark as dealt with
      </button>
    </form>
  );
});
