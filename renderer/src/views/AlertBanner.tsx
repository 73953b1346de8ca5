import { observer } from 'mobx-react-lite';
import { useEffect } from 'react';
import { formatSpan } from '../format/time';
import { startAlertSound } from './alert-sound';
import { useStores } from './store-context';

/** Takes over the top of the screen, with a repeating sound, until anyone in scope acknowledges. */
export const AlertBanner = observer(function AlertBanner() {
  const { alerts, cases, selection, clock, directory } = useStores();
  const active = alerts.active;
  const sounding = active.length > 0;

  useEffect(() => {
    if (!sounding) return;
    return startAlertSound();
  }, [sounding]);

  if (!sounding) return null;
  const first = active[0];
  if (!first) return null;
  const view = first.caseView;
  const where = view.ward ? `Ward ${view.ward}` : directory.queueName(view.queueId);
  const title = first.kind === 'martha' ? "Martha's Rule call" : 'Overdue: not acknowledged';
  return (
    <section className={`alert-banner alert-${first.kind}`} aria-label="Urgent alerts" data-testid="alert-banner" data-alert-count={active.length}>
      <p className="alert-text">
        <strong>{title}</strong> — case #{view.ref}, {where}, waiting {formatSpan(clock.now - view.openedAt)}
        {active.length > 1 ? ` (and ${active.length - 1} more)` : ''}
      </p>
      <div className="alert-actions">
        <button type="button" onClick={() => selection.select(view.id)}>
          Open case #{view.ref}
        </button>
        <button type="button" className="primary" disabled={cases.pending.has(view.id)} onClick={() => void cases.acknowledge(view.id)}>
          Acknowledge #{view.ref}
        </button>
      </div>
    </section>
  );
});
