import { observer } from 'mobx-react-lite';
import type { MessageView } from '../../../shared/domain';
import { intentChip } from '../format/intent-words';
import { channelLabel, deliveryLabel } from '../format/labels';
import { formatMoment } from '../format/time';
import { PatientText } from './PatientText';
import { useStores } from './store-context';

const DIRECTION_WORDS = { inbound: 'From contact', outbound: 'Reply', note: 'Internal note' } as const;

export const Thread = observer(function Thread({ caseId }: { caseId: string }) {
  const { messages } = useStores();
  const thread = messages.thread(caseId);
  const error = messages.loadErrors.get(caseId);
  if (error) return <p className="form-error" role="alert">{error}</p>;
  if (!thread) return <p className="thread-loading">Loading messages…</p>;
  if (thread.length === 0) return <p className="thread-loading">No messages yet.</p>;
  return (
    <ol className="thread" aria-label="Messages">
      {thread.map((message) => (
        <ThreadMessage key={message.id} message={message} />
      ))}
    </ol>
  );
});

const ThreadMessage = observer(function ThreadMessage({ message }: { message: MessageView }) {
  const { directory, clock } = useStores();
  const author = message.direction === 'inbound' ? null : directory.displayName(message.authorId);
  const deliveryError = message.direction === 'outbound' ? message.deliveryError : null;
  return (
    <li className={`message message-${message.direction}`} data-message-id={message.id} data-direction={message.direction}>
      <div className="message-meta">
        <span className="message-direction">{DIRECTION_WORDS[message.direction]}</span>
        {author && <span> · {author}</span>}
        {message.channel && <span> · {channelLabel(message.channel)}</span>}
        <span> · {formatMoment(message.createdAt, clock.now)}</span>
        {message.deliveryState && message.direction === 'outbound' && (
          <span className={`delivery delivery-${message.deliveryState}`}> · {deliveryLabel(message.deliveryState)}</span>
        )}
        {message.intent && <IntentChipView intent={message.intent} />}
      </div>
      {/* Why the reply did not reach the contact, in the hub's words ("Not sent: …"), read with the message it belongs to.
          Plain text, not an alert: it is history, shown again each time the thread is drawn. */}
      {deliveryError && <p className="delivery-error">{deliveryError}</p>}
      <p className="message-body">
        <PatientText text={message.body} />
      </p>
    </li>
  );
});

function IntentChipView({ intent }: { intent: string }) {
  const chip = intentChip(intent);
  return <span className={chip.unclear ? 'intent-chip intent-unclear' : 'intent-chip'}>{chip.text}</span>;
}
