import { observer } from 'mobx-react-lite';
import type { CaseView } from '../../../shared/domain';
import { displayPhone } from '../../../shared/phone';
import { channelLabel, priorityLabel } from '../format/labels';
import { formatSpan } from '../format/time';
import { replyUndeliveredWords } from '../format/undelivered-words';
import { SlaCountdown } from './SlaCountdown';
import { useStores } from './store-context';

export const InboxRow = observer(function InboxRow({
  caseView,
  selected,
  index,
  total,
}: {
  caseView: CaseView;
  selected: boolean;
  index: number;
  total: number;
}) {
  const { selection, directory, clock, session, presence } = useStores();
  const others = presence.othersOn(caseView.id);
  const undelivered = caseView.replyUndelivered ?? null;
  const who = caseView.contactName ?? displayPhone(caseView.contactPhone);
  const assignee =
    caseView.assigneeId === null ? 'Unassigned' : caseView.assigneeId === session.user?.id ? 'You' : directory.displayName(caseView.assigneeId);
  return (
    <div
      role="option"
      id={`case-option-${caseView.id}`}
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-setsize={total}
      className={`inbox-row priority-${caseView.priority} row-${caseView.status}${selected ? ' selected' : ''}`}
      onClick={() => selection.select(caseView.id)}
      data-case-id={caseView.id}
      data-case-ref={caseView.ref}
      data-status={caseView.status}
      data-reply-undelivered={undelivered === null ? undefined : 'true'}
    >
      <div className="row-line">
        <span className={`priority-badge priority-${caseView.priority}`}>{priorityLabel(caseView.priority)}</span>
        <span className="row-ref">#{caseView.ref}</span>
        <span className="row-who">{who}</span>
        <span className="row-channel">{channelLabel(caseView.channel)}</span>
        <span className="row-waiting">waiting {formatSpan(clock.now - caseView.openedAt)}</span>
      </div>
      <div className="row-line">
        <span className="row-preview">{caseView.lastMessagePreview}</span>
      </div>
      <div className="row-line row-meta">
        <span className={`row-status status-${caseView.status}`}>{caseView.status === 'open' ? 'Not acknowledged' : caseView.status === 'resolved' ? 'Resolved' : 'Acknowledged'}</span>
        <SlaCountdown caseView={caseView} />
        <span className="row-assignee">{assignee}</span>
        {others.length > 0 && (
          <span className="row-viewers" data-testid="row-viewers">
            {others.map((viewer) => `${viewer.displayName} ${viewer.typing ? 'typing…' : 'viewing'}`).join(', ')}
          </span>
        )}
      </div>
      {undelivered !== null && (
        // Text, not colour alone: the row's accessible name includes it, so a screen reader hears it with the case.
        <div className="row-line row-undelivered" data-testid="row-undelivered">
          {replyUndeliveredWords(undelivered, session.user?.id)}
        </div>
      )}
    </div>
  );
});
