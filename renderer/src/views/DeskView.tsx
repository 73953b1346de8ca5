import { observer } from 'mobx-react-lite';
import { useCallback, useState } from 'react';
import { roleLabel } from '../format/labels';
import { AlertBanner } from './AlertBanner';
import { AlertTray } from './AlertTray';
import { CasePanel } from './CasePanel';
import { ConnectionIndicator, StaleWarning } from './ConnectionIndicator';
import { InboxList } from './InboxList';
import { InboxToolbar } from './InboxToolbar';
import { KeyboardHelp } from './KeyboardHelp';
import { MyAlertCount } from './MyAlertCount';
import { Announcer, NoticeBar } from './NoticeBar';
import { QueueNav } from './QueueNav';
import { ShiftToggle } from './ShiftToggle';
import { useStores } from './store-context';
import { useDeskKeys } from './use-desk-keys';

export const DeskView = observer(function DeskView() {
  const store = useStores();
  const { session } = store;
  const [helpOpen, setHelpOpen] = useState(false);
  const toggleHelp = useCallback(() => setHelpOpen((open) => !open), []);
  const closeOverlays = useCallback(() => setHelpOpen(false), []);
  useDeskKeys(store, toggleHelp, closeOverlays);
  const user = session.user;

  return (
    <div className="desk">
      <header className="desk-header">
        <h1 className="brand">Clarion</h1>
        <ConnectionIndicator />
        <div className="header-spacer" />
        <MyAlertCount />
        <AlertTray />
        <button type="button" className="quiet" onClick={() => store.selection.setMode('reports')}>
          Reports
        </button>
        {user?.role === 'admin' && (
          <button type="button" className="quiet" onClick={() => store.selection.setMode('policies')}>
            Policies
          </button>
        )}
        <button type="button" className="quiet" onClick={() => store.selection.setMode('wall')}>
          Ward display
        </button>
        <button type="button" className="quiet" onClick={toggleHelp} aria-keyshortcuts="?">
          Keys (?)
        </button>
        <ShiftToggle />
        {user && (
          <span className="who-am-i" data-testid="who-am-i">
            {user.displayName} · {roleLabel(user.role)}
          </span>
        )}
        <button type="button" className="quiet" onClick={() => session.logout()}>
          Sign out
        </button>
      </header>
      <div role="region" aria-label="Alerts and messages">
        <AlertBanner />
        <StaleWarning />
        <NoticeBar />
      </div>
      <main className="desk-main">
        <QueueNav />
        <section className="inbox-column" aria-label="Inbox">
          <h2 className="visually-hidden">Inbox</h2>
          <InboxToolbar />
          <InboxList />
        </section>
        <CasePanel />
      </main>
      <Announcer />
      {helpOpen && <KeyboardHelp onClose={closeOverlays} />}
    </div>
  );
});
