import { observer } from 'mobx-react-lite';
import type { ConnectionState } from '../stores/connection-store';
import { formatClock } from '../format/time';
import { useStores } from './store-context';

const WORDS: Record<ConnectionState, string> = {
  offline: 'Offline',
  connecting: 'Connecting…',
  syncing: 'Catching up…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  stale: 'Not connected',
};

/** Always visible: a desk showing stale data as live is a named hazard. */
export const ConnectionIndicator = observer(function ConnectionIndicator() {
  const { connection } = useStores();
  const state = connection.state;
  const since = connection.unsureSince;
  return (
    <div className={`connection connection-${state}`} role="status" aria-live="polite" data-connection={state}>
      <span className="connection-dot" aria-hidden="true" />
      <span>{WORDS[state]}</span>
      {state === 'stale' && since !== null && <span className="connection-detail"> since {formatClock(since)}</span>}
    </div>
  );
});

export const StaleWarning = observer(function StaleWarning() {
  const { connection } = useStores();
  if (!connection.mayBeOutOfDate) return null;
  return (
    <p className="stale-warning" role="alert" data-testid="stale-warning">
      Not connected to the hub: these lists and countdowns may be out of date. The desk keeps trying to reconnect.
    </p>
  );
});
