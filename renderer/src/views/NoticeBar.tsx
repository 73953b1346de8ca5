import { observer } from 'mobx-react-lite';
import type { Announcement } from '../stores/notice-store';
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

/**
 * Screen-reader announcements; visually hidden, always in the DOM so additions are read. Each announcement is a node of
 * its own in a log that reads additions only: a second one close behind adds to what is said rather than replacing the
 * first before it was read, and pruning the oldest is not read at all.
 */
export const Announcer = observer(function Announcer() {
  const { notices } = useStores();
  return (
    <>
      <AnnouncementLog urgency="polite" entries={notices.politeAnnouncements} />
      <AnnouncementLog urgency="urgent" entries={notices.urgentAnnouncements} />
    </>
  );
});

function AnnouncementLog({ urgency, entries }: { urgency: 'polite' | 'urgent'; entries: readonly Announcement[] }) {
  return (
    <div
      className="visually-hidden"
      role="log"
      aria-live={urgency === 'urgent' ? 'assertive' : 'polite'}
      aria-relevant="additions"
      data-testid={`announcer-${urgency}`}
    >
      {entries.map((entry) => (
        <p key={entry.id}>{entry.text}</p>
      ))}
    </div>
  );
}
