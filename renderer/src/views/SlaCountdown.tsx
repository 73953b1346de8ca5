import { observer } from 'mobx-react-lite';
import type { CaseView } from '../../../shared/domain';
import { formatSpan } from '../format/time';
import { nextDeadline } from '../stores/selection-store';
import { useStores } from './store-context';

const DEADLINE_WORDS = { acknowledge: 'Ack', respond: 'Reply', resolve: 'Resolve' } as const;
/** Under this, a deadline shows amber: enough warning to act, not so early that everything is amber. */
const SOON_MS = 5 * 60_000;

/** Colour AND words ("Ack overdue 3 min"), so the state never depends on seeing colour. */
export const SlaCountdown = observer(function SlaCountdown({ caseView }: { caseView: CaseView }) {
  const { clock } = useStores();
  const deadline = nextDeadline(caseView);
  if (!deadline) return <span className="sla sla-none">No deadline</span>;
  const remaining = deadline.at - clock.now;
  const tone = remaining <= 0 ? 'breached' : remaining <= SOON_MS ? 'soon' : 'ok';
  const words =
    remaining <= 0
      ? `${DEADLINE_WORDS[deadline.kind]} overdue ${formatSpan(remaining)}`
      : `${DEADLINE_WORDS[deadline.kind]} due in ${formatSpan(remaining)}`;
  return (
    <span className={`sla sla-${tone}`} data-sla={tone}>
      {tone === 'breached' ? '⚠ ' : ''}
      {words}
    </span>
  );
});
