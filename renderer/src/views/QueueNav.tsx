// The queues this user sees, each with its unacknowledged alerts as the hub counts them (`alerts:counts`); until the
// hub's first answer, the desk's own count of open cases stands in.
import { observer } from 'mobx-react-lite';
import { ALL_QUEUES } from '../stores/selection-store';
import { useStores } from './store-context';

export const QueueNav = observer(function QueueNav() {
  const { directory, cases, selection, alertCounts } = useStores();
  const counts = cases.unacknowledgedByQueue;
  const entries = [{ id: ALL_QUEUES, name: 'All my queues', count: alertCounts.loaded ? alertCounts.total : cases.unacknowledgedTotal }].concat(
    directory.queues.map((queue) => ({ id: queue.id, name: queue.name, count: alertCounts.forQueue(queue.id) ?? counts.get(queue.id) ?? 0 })),
  );
  return (
    <nav className="queues" aria-label="Queues">
      <h2 className="panel-title">Queues</h2>
      <ul>
        {entries.map((entry) => (
          <li key={entry.id}>
            <button
              type="button"
              className={`queue-button${selection.queueId === entry.id ? ' current' : ''}`}
              aria-current={selection.queueId === entry.id ? 'true' : undefined}
              onClick={() => selection.setQueue(entry.id)}
              data-queue={entry.id}
            >
              <span className="queue-name">{entry.name}</span>
              <span className={`queue-count${entry.count > 0 ? ' waiting' : ''}`} aria-label={`${entry.count} unacknowledged ${entry.count === 1 ? 'alert' : 'alerts'}`}
                data-testid={`queue-count-${entry.id}`}>
                {entry.count}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
});
