import { observer } from 'mobx-react-lite';
import { useStores } from './store-context';

export const NoticeBar = observer(function NoticeBar() {
  const { notices } = useStores();
  const notice = notices.notice;
  if (!notice) return null;
  return (
    <div className={`notice notice-${notice.tone}`} data-testid="notice">
      <span data-testid="notice-text">{notice.text}</span>
      <button type="button" className="quiet" onClick={notices.dismiss} aria-label="Dismiss message">
        ✕
      </button>
    </div>
  );
});

/** Screen-reader announcements; visually hidden, always in the DOM so changes are read. */
export const Announcer = observer(function Announcer() {
  const { notices } = useStores();
  return (
    <>
      <div className="visually-hidden" aria-live="polite" aria-atomic="true">
        {notices.politeAnnouncement}
      </div>
      <div className="visually-hidden" aria-live="assertive" aria-atomic="true">
        {notices.urgentAnnouncement}
      </div>
    </>
  );
});
