// A ward-station screen: large type, alerts and counts only. Anyone walking past can read it, so it
// shows case numbers and places, never patient text, names or phone numbers.
import { observer } from 'mobx-react-lite';
import { formatSpan } from '../format/time';
import { AlertBanner } from './AlertBanner';
import { StaleWarning } from './ConnectionIndicator';
import { SubViewHeader } from './SubViewHeader';
import { Announcer } from './NoticeBar';
import { useStores } from './store-context';

export const WallDisplay = observer(function WallDisplay() {
  const { alerts, cases, directory, clock } = useStores();
  const counts = cases.unacknowledgedByQueue;
  return (
    <div className="wall">
      <SubViewHeader title="Ward display" />
      <div role="region" aria-label="Alerts and messages">
        <AlertBanner />
        <StaleWarning />
      </div>
      <main className="wall-main">
        <section aria-labelledby="wall-alerts-title">
          <h2 id="wall-alerts-title">Needs acknowledging now</h2>
          {alerts.active.length === 0 ? (
            <p className="wall-calm">No urgent alerts.</p>
          ) : (
            <ul className="wall-alerts">
              {alerts.active.map((alert) => {
                const view = alert.caseView;
                return (
                  <li key={view.id} className={`wall-alert alert-${alert.kind}`}>
                    <strong>{alert.kind === 'martha' ? "Martha's Rule call" : 'Overdue'}</strong> · case #{view.ref} ·{' '}
                    {view.ward ? `Ward ${view.ward}` : directory.queueName(view.queueId)} · waiting {formatSpan(clock.now - view.openedAt)}
                  </li>
                );
              })}
            </ul>
          )}
        </section>
        <section aria-labelledby="wall-queues-title">
          <h2 id="wall-queues-title">Not acknowledged, by queue</h2>
          <dl className="wall-queues">
            {directory.queues.map((queue) => (
              <div key={queue.id}>
                <dt>{queue.name}</dt>
                <dd>{counts.get(queue.id) ?? 0}</dd>
              </div>
            ))}
          </dl>
        </section>
      </main>
      <Announcer />
    </div>
  );
});
