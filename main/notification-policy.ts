// How loud each alert is. The hazard Clarion exists to prevent is an escalation nobody sees, so the
// alerts a patient's safety hangs on stay on screen until a person deals with them.
import { alertStaysUntilHandled, type DesktopAlert } from '../shared/bridge';

export interface NativeNotificationSpec {
  title: string;
  body: string;
  /** Linux: 'critical' notifications are not expired by the notification server. */
  urgency: 'critical' | 'normal';
  /** Linux and Windows: 'never' keeps the toast up until the user acts on it. */
  timeoutType: 'never' | 'default';
  /** Alerts always make a sound: a silent Martha's Rule call is a missed one. */
  silent: false;
  /** Stays until handled; also flashes the taskbar and, on a wall display, raises the window. */
  sticky: boolean;
}

/** The rule lives in shared/ because the browser desk applies it too (requireInteraction). */
export function isSticky(alert: DesktopAlert): boolean {
  return alertStaysUntilHandled(alert);
}

export function notificationFor(alert: DesktopAlert): NativeNotificationSpec {
  const sticky = isSticky(alert);
  return {
    title: alert.title,
    body: alert.body,
    urgency: sticky ? 'critical' : 'normal',
    timeoutType: sticky ? 'never' : 'default',
    silent: false,
    sticky,
  };
}

/**
 * Whether a wall display holds the window above every other window: only when the setting is on
 * and an alert that must not be missed is still pending.
 */
export function shouldHoldOnTop(alertWindowOnTop: boolean, pendingSticky: number, unacknowledged: number): boolean {
  return alertWindowOnTop && pendingSticky > 0 && unacknowledged > 0;
}
