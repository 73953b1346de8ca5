// The user's own unacknowledged alerts (escalated or paged to them by name, as the hub counts them), always in view in
// the header: a desk opened after the escalation shows it as plainly as one that was open when it came.
import { observer } from 'mobx-react-lite';
import { useStores } from './store-context';

export const MyAlertCount = observer(function MyAlertCount() {
  const { alertCounts } = useStores();
  if (!alertCounts.loaded) return null;
  const mine = alertCounts.mine;
  const words = `${mine} ${mine === 1 ? 'alert' : 'alerts'} to you not acknowledged`;
  return (
    <span className={`mine-count${mine > 0 ? ' waiting' : ''}`} data-testid="alerts-mine" title="Escalated or paged to you by name, not yet acknowledged">
      <span aria-hidden="true">To you: {mine}</span>
      <span className="visually-hidden">{words}</span>
    </span>
  );
});
