import { observer } from 'mobx-react-lite';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { MAX_REPLY_LENGTH, type CaseView } from '../../../shared/domain';
import { REPLY_TEMPLATES } from '../../../shared/reply-intent';
import { countSmsSegments } from '../../../shared/sms-segments';
import { optedOutNotice } from '../format/profile-words';
import { useStores } from './store-context';

export const Composer = observer(function Composer({ caseView }: { caseView: CaseView }) {
  const { cases, presence, profiles } = useStores();
  const [body, setBody] = useState('');
  /** The owner the user was warned about and must confirm replying over; null while no confirmation is asked. */
  const [confirmingOver, setConfirmingOver] = useState<{ userId: string; displayName: string } | null>(null);
  // Focus goes to Cancel: a second Ctrl+Enter or Enter from a hurried hand must not send over a colleague.
  const cancelButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirmingOver !== null) cancelButton.current?.focus();
  }, [confirmingOver]);
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [templateId, setTemplateId] = useState('');
  const template = REPLY_TEMPLATES.find((candidate) => candidate.id === templateId);
  // The structured options travel only while the text is still the template's own question.
  const sentTemplateId = template && body.includes(template.body) ? template.id : undefined;
  const pending = cases.pending.has(caseView.id);
  const segments = countSmsSegments(body);
  const owner = cases.otherOwner(caseView.id);
  // Said before a word is typed. Send stays enabled: the hub decides (server/commands/reply.ts) and refuses in words,
  // writing nothing, while this view of consent can be behind it (the profile is reloaded after each event, and a
  // contact's STOP or START reaches only the case it came in on), so a START must never be blocked by a stale screen.
  const optedOut = mode === 'reply' ? optedOutNotice(profiles.profile(caseView.id)?.contact.consents ?? []) : null;
  const optedOutId = `opted-out-${caseView.id}`;

  function edit(text: string) {
    setBody(text);
    if (text.trim()) presence.typing(caseView.id);
    else presence.stoppedTyping(caseView.id);
  }

  async function send(overOwnerId?: string) {
    if (!body.trim()) return;
    if (mode === 'note') {
      if (await cases.note(caseView.id, body)) edit('');
      return;
    }
    const sent = await cases.reply(caseView.id, body, sentTemplateId, overOwnerId);
    if (sent === 'needs_confirmation') {
      // A real step, not a caption: nothing is sent until the user chooses "Send anyway" for this owner.
      setConfirmingOver(cases.otherOwner(caseView.id));
      return;
    }
    setConfirmingOver(null);
    if (sent) {
      edit('');
      setTemplateId('');
    }
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
      <div className="composer-header">
        <fieldset className="composer-modes">
          <legend className="visually-hidden">Write</legend>
          <label>
            <input type="radio" name={`mode-${caseView.id}`} checked={mode === 'reply'} onChange={() => setMode('reply')} />
            Reply to contact
          </label>
          <label>
            <input type="radio" name={`mode-${caseView.id}`} checked={mode === 'note'} onChange={() => setMode('note')} />
            Internal note
          </label>
        </fieldset>
        {mode === 'reply' && (
          <>
            <label htmlFor={`template-${caseView.id}`} className="template-label">
              Template
            </label>
            <select
              id={`template-${caseView.id}`}
              data-testid="template"
              value={templateId}
              onChange={(event) => {
                const chosen = REPLY_TEMPLATES.find((candidate) => candidate.id === event.target.value);
                setTemplateId(chosen?.id ?? '');
                if (chosen) setBody((current) => (current.trim() ? `${current.trimEnd()} ${chosen.body}` : chosen.body));
              }}
            >
              <option value="">None</option>
              {REPLY_TEMPLATES.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  {candidate.name}
                </option>
              ))}
            </select>
          </>
        )}
      </div>
      {optedOut !== null && (
        <p id={optedOutId} className="opted-out-notice" data-testid="opted-out-notice">
          {optedOut}
        </p>
      )}
      <label htmlFor={`composer-${caseView.id}`} className="visually-hidden">
        {mode === 'reply' ? 'Message to the contact' : 'Internal note (staff only)'}
      </label>
      <textarea
        id={`composer-${caseView.id}`}
        data-testid="composer"
        rows={3}
        maxLength={MAX_REPLY_LENGTH}
        value={body}
        onChange={(event) => edit(event.target.value)}
        onKeyDown={onKeyDown}
        aria-describedby={optedOut !== null ? `${optedOutId} composer-count-${caseView.id}` : `composer-count-${caseView.id}`}
      />
      {mode === 'reply' && template && template.options.length > 0 && (
        <p className="template-options" data-testid="template-options">
          {sentTemplateId ? 'Answers the hub will recognise: ' : 'Edited — sent as plain text, answers will go to a person: '}
          {template.options.map((option) => option.label).join(' · ')}
        </p>
      )}
      {mode === 'reply' && owner !== null && confirmingOver === null && (
        <p className="owner-warning" data-testid="owner-warning">
          {owner.displayName} owns this case. You will be asked to confirm before your reply is sent.
        </p>
      )}
      {mode === 'reply' && confirmingOver !== null && (
        <div className="owner-confirm" role="alertdialog" aria-labelledby={`owner-confirm-${caseView.id}`} data-testid="owner-confirm">
          <p id={`owner-confirm-${caseView.id}`}>
            {confirmingOver.displayName} owns this case. Send your reply anyway?
          </p>
          <button type="button" className="primary" disabled={pending} onClick={() => void send(confirmingOver.userId)}>
            Send anyway
          </button>
          <button type="button" ref={cancelButton} onClick={() => setConfirmingOver(null)}>
            Cancel
          </button>
        </div>
      )}
      <div className="composer-footer">
        <span id={`composer-count-${caseView.id}`} className="segment-count" data-testid="segment-count">
          {mode === 'note'
            ? 'Seen by staff only; never sent to the contact.'
            : body.length === 0
            ? 'SMS: 0 segments'
            : `SMS: ${segments.segments} segment${segments.segments === 1 ? '' : 's'} (${segments.encoding}), ${segments.remainingInSegment} characters left in this one`}
        </span>
        <button type="submit" className="primary" disabled={pending || !body.trim()} aria-describedby={optedOut !== null ? optedOutId : undefined}>
          {mode === 'reply' ? 'Send reply' : 'Add note'}
        </button>
      </div>
    </form>
  );
});
