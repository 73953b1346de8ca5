import { observer } from 'mobx-react-lite';
import type { CaseView } from '../../../shared/domain';
import { displayPhone } from '../../../shared/phone';
import { categoryLabel, channelLabel, outcomeLabel, priorityLabel, statusLabel } from '../format/labels';
import { formatMoment } from '../format/time';
import { CasePresenceNote, CaseTimeline, ContactPanel } from './CaseProfile';
import { MarthaCallSummary } from './MarthaCallSummary';
import { CaseTools } from './CaseTools';
import { Composer } from './Composer';
import { ResolveForm } from './ResolveForm';
import { SlaCountdown } from './SlaCountdown';
import { Thread } from './Thread';
import { UndeliveredNotice } from './UndeliveredNotice';
import { useStores } from './store-context';

export const CasePanel = observer(function CasePanel() {
  const { selection } = useStores();
  const selected = selection.selectedCase;
  if (!selected) {
    return (
      <section className="case-panel case-empty" aria-label="Case">
        <p>Choose a case from the list (or press j) to see its messages.</p>
      </section>
    );
  }
  // Keyed by case so the composer's draft and the outcome choice never carry over to another case.
  return <CaseDetail key={selected.id} caseView={selected} />;
});

const CaseDetail = observer(function CaseDetail({ caseView }: { caseView: CaseView }) {
  const { directory, clock } = useStores();
  const who = caseView.contactName ?? displayPhone(caseView.contactPhone);
  const where = caseView.ward ? `Ward ${caseView.ward}` : directory.queueName(caseView.queueId);
  return (
    <section className="case-panel" aria-labelledby="case-title" data-case-id={caseView.id} data-status={caseView.status}>
      <header className="case-header">
        <h2 id="case-title">
          Case #{caseView.ref} · {who}
        </h2>
        <p className="case-facts">
          <span className={`priority-badge priority-${caseView.priority}`}>{priorityLabel(caseView.priority)}</span>
          <span>{categoryLabel(caseView.category)}</span>
          <span>{where}</span>
          <span>{channelLabel(caseView.channel)}</span>
          <span>{displayPhone(caseView.contactPhone)}</span>
          <span>opened {formatMoment(caseView.openedAt, clock.now)}</span>
        </p>
        <p className="case-status" data-testid="case-status">
          <strong className={`status-${caseView.status}`}>{statusLabel(caseView.status)}</strong>
          <StatusDetail caseView={caseView} />
          {caseView.status !== 'resolved' && <SlaCountdown caseView={caseView} />}
        </p>
        <CasePresenceNote caseId={caseView.id} />
        <UndeliveredNotice caseView={caseView} />
        <CaseActions caseView={caseView} />
        {caseView.status !== 'resolved' && <CaseTools caseView={caseView} />}
      </header>
      {/* Focusable so keyboard users can scroll it when the panel, thread and timeline overflow (axe: scrollable-region-focusable). */}
      <div className="case-body" tabIndex={0} role="region" aria-label="Contact, messages and timeline">
        <MarthaCallSummary caseView={caseView} />
        <ContactPanel caseView={caseView} />
        <Thread caseId={caseView.id} />
        <CaseTimeline caseId={caseView.id} />
      </div>
      {caseView.status !== 'resolved' && <Composer caseView={caseView} />}
    </section>
  );
});

const StatusDetail = observer(function StatusDetail({ caseView }: { caseView: CaseView }) {
  const { directory, clock, session } = useStores();
  const name = (userId: string | null) => (userId === session.user?.id ? 'you' : directory.displayName(userId));
  const parts: string[] = [];
  if (caseView.acknowledgedAt !== null) {
    parts.push(`by ${name(caseView.acknowledgedBy)} at ${formatMoment(caseView.acknowledgedAt, clock.now)}`);
  }
  if (caseView.resolvedAt !== null && caseView.outcome) {
    parts.push(`${outcomeLabel(caseView.outcome)} (${name(caseView.resolvedBy)}, ${formatMoment(caseView.resolvedAt, clock.now)})`);
  }
  parts.push(caseView.assigneeId === null ? 'unassigned' : `assigned to ${name(caseView.assigneeId)}`);
  return <span className="status-detail"> {parts.join(' · ')}</span>;
});

const CaseActions = observer(function CaseActions({ caseView }: { caseView: CaseView }) {
  const { cases, session } = useStores();
  const pending = cases.pending.has(caseView.id);
  if (caseView.status === 'resolved') return null;
  const mine = caseView.assigneeId !== null && caseView.assigneeId === session.user?.id;
  return (
    <div className="case-actions" role="group" aria-label="Case actions">
      {caseView.status === 'open' && (
        <button type="button" className="primary" disabled={pending} onClick={() => void cases.acknowledge(caseView.id)} aria-keyshortcuts="a">
          Acknowledge
        </button>
      )}
      {!mine && (
        <button type="button" disabled={pending} onClick={() => void cases.assignToMe(caseView.id)}>
          Assign to me
        </button>
      )}
      <ResolveForm caseView={caseView} />
    </div>
  );
});
