// Mirrors desk state onto the machine: the unacknowledged count as a badge, live/stale for the tray,
// one native notification (plus a taskbar flash) per new Martha's Rule call or breach, and one per tray
// entry that names this user (escalated, paged, silence ended, nobody reachable); each withdrawn when its alert is over.
// Titles name what and where, never patient text: they show on lock screens (shared/bridge.ts).
import { reaction } from 'mobx';
import type { ClarionBridge, DesktopAlert } from '../../../shared/bridge';
import { trayEntryKey, type Alert, type TrayEntry } from './alert-store';
import type { RootStore } from './root-store';

export type PlatformSurface = Pick<ClarionBridge, 'notify' | 'withdraw' | 'setBadge' | 'setConnection' | 'flash' | 'onFocusCase'>;

function alertKey(alert: Alert): string {
  return `${alert.kind}:${alert.caseView.id}`;
}

export function nativeAlertFor(alert: Alert, placeName: string) {
  const view = alert.caseView;
  return {
    caseId: view.id,
    kind: alert.kind,
    title: alert.kind === 'martha' ? `Martha's Rule call — ${placeName}` : `Acknowledge-by passed — case #${view.ref}`,
    body: `Case #${view.ref} is waiting to be acknowledged.`,
    urgent: true,
  };
}

type PersonalKind = 'escalated' | 'paged' | 'silence_ended' | 'nobody_reachable' | 'reopened_by_message' | 'acknowledged_timeout' | 'reply_undelivered';

const PERSONAL_WORDS: Record<PersonalKind, (ref: number) => { title: string; body: string }> = {
  escalated: (ref) => ({ title: `Escalated to you — case #${ref}`, body: `Case #${ref} is still waiting; the escalation has reached you.` }),
  paged: (ref) => ({ title: `Paged into case #${ref}`, body: `A colleague paged you into case #${ref}.` }),
  silence_ended: (ref) => ({ title: `Silence ended, escalated to you — case #${ref}`, body: `The silence on case #${ref} ran out and the escalation has reached you.` }),
  nobody_reachable: (ref) => ({ title: `Nobody reachable — case #${ref}`, body: `Nobody could be told about case #${ref} at the last step. It needs someone now.` }),
  // To whoever held the case: it was theirs, and it is waiting again.
  reopened_by_message: (ref) => ({ title: `New message on your case #${ref}`, body: `Case #${ref}, which you held, has a new message and is open again.` }),
  acknowledged_timeout: (ref) => ({ title: `Your case #${ref} is open again`, body: `Case #${ref} was acknowledged but not resolved in time, and is waiting again.` }),
  // To the reply's author: the family has not had it, perhaps on a case they already resolved.
  reply_undelivered: (ref) => ({ title: `Your reply was not delivered — case #${ref}`, body: `Your reply on case #${ref} did not reach the family. They may need a phone call.` }),
};

function isPersonalKind(kind: TrayEntry['kind']): kind is PersonalKind {
  return Object.hasOwn(PERSONAL_WORDS, kind);
}

/**
 * A native alert for a tray entry addressed to this user, or null when the entry is not one.
 * Built from the tray entry alone (kind and case number), so no patient text can reach a lock screen.
 * An entry put back after sign-in or reload (`restored`) is shown in the tray only: else every reload would repeat them all.
 */
export function nativeAlertForEntry(entry: TrayEntry): DesktopAlert | null {
  if (!entry.forMe || entry.restored || !isPersonalKind(entry.kind)) return null;
  return { caseId: entry.caseId, kind: entry.kind, ...PERSONAL_WORDS[entry.kind](entry.ref), urgent: true };
}

export function linkPlatform(root: RootStore, platform: PlatformSurface): () => void {
  // Entries already in the tray when the link starts were seen (or missed) before: only live arrivals sound. Known by
  // their event (trayEntryKey), not their object: the same event can reach the tray twice (a resync after the hub's
  // store was restored).
  const notifiedEntries = new Set(root.alerts.tray.map(trayEntryKey));
  // What this desk put on screen and has not withdrawn yet, by the key it gave each (DesktopAlert.key). A notification
  // goes when its alert leaves `active` (acknowledged, resolved, triaged, out of scope) or its entry leaves the tray
  // (the event that ends it, sign-out; or the tray's limit of 50 pushing out the oldest): a nurse must not click through
  // to a call a colleague already took. A call or breach that comes back (handed back, re-opened, its acknowledgement
  // timed out) is shown anew: it is waiting for someone again, and the notification that said so was withdrawn.
  const shownActive = new Set<string>();
  const shownEntries = new Set<string>();
  const withdrawGone = (shown: Set<string>, current: ReadonlySet<string>): void => {
    for (const key of shown) {
      if (current.has(key)) continue;
      shown.delete(key);
      void platform.withdraw(key);
    }
  };
  const place = (alert: Alert) => (alert.caseView.ward ? `Ward ${alert.caseView.ward}` : root.directory.queueName(alert.caseView.queueId));
  const disposers = [
    reaction(() => root.cases.unacknowledgedTotal, (count) => void platform.setBadge(count), { fireImmediately: true }),
    reaction(
      () => (root.connection.state === 'live' ? 'live' : 'stale'),
      (state) => void platform.setConnection(state),
      { fireImmediately: true },
    ),
    reaction(
      () => root.alerts.active.map(alertKey).join(' '),
      () => {
        let fresh = false;
        withdrawGone(shownActive, new Set(root.alerts.active.map(alertKey)));
        for (const alert of root.alerts.active) {
          const key = alertKey(alert);
          if (shownActive.has(key)) continue;
          fresh = true;
          shownActive.add(key);
          void platform.notify({ ...nativeAlertFor(alert, place(alert)), key });
        }
        if (fresh) void platform.flash();
      },
      { fireImmediately: true },
    ),
    reaction(
      () => root.alerts.tray.slice(),
      (entries) => {
        let fresh = false;
        withdrawGone(shownEntries, new Set(entries.map(trayEntryKey)));
        // Oldest first, so when several arrive together the newest ends on screen (one notification per case).
        for (const entry of [...entries].reverse()) {
          const alert = nativeAlertForEntry(entry);
          if (alert === null) continue;
          const key = trayEntryKey(entry);
          if (notifiedEntries.has(key)) continue;
          notifiedEntries.add(key);
          fresh = true;
          shownEntries.add(key);
          void platform.notify({ ...alert, key });
        }
        if (fresh) void platform.flash();
      },
    ),
    platform.onFocusCase((caseId) => root.selection.select(caseId)),
  ];
  return () => {
    for (const dispose of disposers) dispose();
  };
}
