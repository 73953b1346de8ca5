// Warnings and escalations collect here, newest first, so none is lost once the banner moves on; each stays until the
// alert it belongs to ends (acknowledged, resolved, its reply dealt with), as the hub counts it (`endsEntry` in
// stores/alert-store.ts).
import { observer } from 'mobx-react-lite';
import { useState } from 'react';
import { alertKindLabel } from '../format/labels';
import { formatMoment } from '../format/time';
import { trayEntryKey, type TrayEntry } from '../stores/alert-store';
import { useStores } from './store-context';

/** "Escalated to you", "Deadline passed", "Your reply not delivered": what the entry is, and whether it is this user's. */
function trayEntryWords(entry: TrayEntry): string {
  if (entry.kind === 'reply_undelivered' && entry.forMe) return 'Your reply not delivered';
  return `${alertKindLabel(entry.kind)}${entry.forMe ? ' to you' : ''}`;
}

export const AlertTray = observer(function AlertTray() {
  const { alerts, selection, clock } = useStores();
  const [open, setOpen] = useState(false);
  const unseen = alerts.unseenCount;

  function toggle() {
    if (open) alerts.markSeen();
    setOpen(!open);
  }

  return (
    <div className="alert-tray">
      <button type="button" className="quiet" aria-expanded={open} aria-controls="alert-tray-list" onClick={toggle} data-testid="alert-tray-button">
        Alerts{unseen > 0 ? ` (${unseen} new)` : ''}
      </button>
      {open && (
        <section id="alert-tray-list" className="alert-tray-panel" aria-label="Alert tray">
          {alerts.tray.length === 0 ? (
            <p>No warnings or escalations waiting.</p>
          ) : (
            <ol>
              {alerts.tray.map((entry) => (
                <li key={trayEntryKey(entry)} className={entry.seq > alerts.seenSeq ? 'unseen' : undefined} data-alert-kind={entry.kind}>
                  <button
                    type="button"
                    className="text-link"
                    onClick={() => {
                      selection.select(entry.caseId);
                      alerts.markSeen();
                      setOpen(false);
                    }}
                  >
                    {trayEntryWords(entry)} — case #{entry.ref}
                  </button>{' '}
                  <span className="tray-time">{formatMoment(entry.at, clock.now)}</span>
                </li>
              ))}
            </ol>
          )}
        </section>
      )}
    </div>
  );
});
