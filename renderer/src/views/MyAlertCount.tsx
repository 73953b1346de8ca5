// What is waiting for this user by name, as the hub counts it (alerts:counts `mine`: alerts escalated or paged to them
// that nobody has dealt with, and their replies not delivered), always in view in the header: a desk opened after the
// escalation shows it as plainly as one that was open when it came.
import { observer } from 'mobx-react-lite';
import { useStores } from './store-context';

export const MyAlertCount = observer(function MyAlertCount() {
  const { alertCounts } = useStores();
  if (!alertCounts.loaded) return null;
  const mine = alertCounts.mine;
  const words = `${mine} ${mine === 1 ? 'alert' : 'alerts'} to you not dealt with`;
  return (
    <span className={`mine-count${mine > 0 ? ' waiting' : ''}`} data-testid="alerts-mine" title="Escalated or paged to you by name and not yet dealt with, and your replies that were not delivered">
      <span aria-hidden="true">To you: {mine}</span>
      <span className="visually-hidden">{words}</span>
    </span>
  );
});
