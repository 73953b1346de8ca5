import { observer } from 'mobx-react-lite';
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { MAX_REPLY_LENGTH, type CaseView } from '../../../shared/domain';
import { countSmsSegments } from '../../../shared/sms-segments';
import { useStores } from './store-context';

export const Composer = observer(function Composer({ caseView }: { caseView: CaseView }) {
  const { cases, session, directory } = useStores();
  const [body, setBody] = useState('');
  const pending = cases.pending.has(caseView.id);
  const segments = countSmsSegments(body);
  const ownedByOther = caseView.assigneeId !== null && caseView.assigneeId !== session.user?.id;

  async function send() {
    if (!body.trim()) return;
    if (ownedByOther) {
      const owner = directory.displayName(caseView.assigneeId);
      if (!window.confirm(`${owner} owns this case. Send your reply anyway?`)) return;
    }
    if (await cases.reply(caseView.id, body)) setBody('');
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void send();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  }

  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor={`composer-${caseView.id}`}>Reply to contact</label>
      <textarea
        id={`composer-${caseView.id}`}
        data-testid="composer"
        rows={3}
        maxLength={MAX_REPLY_LENGTH}
        value={body}
        onChange={(event) => setBody(event.target.value)}
        onKeyDown={onKeyDown}
        aria-describedby={`composer-count-${caseView.id}`}
      />
      <div className="composer-footer">
        <span id={`composer-count-${caseView.id}`} className="segment-count" data-testid="segment-count">
          {body.length === 0
            ? 'SMS: 0 segments'
            : `SMS: ${segments.segments} segment${segments.segments === 1 ? '' : 's'} (${segments.encoding}), ${segments.remainingInSegment} characters left in this one`}
        </span>
        <button type="submit" className="primary" disabled={pending || !body.trim()}>
          Send reply
        </button>
      </div>
    </form>
  );
});
