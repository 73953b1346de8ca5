// What the taskbar, dock and tray say about the desk. Pure text and numbers; main puts them on screen.
import { badgeText, type ConnectionState } from '../shared/bridge';

// The badge text rule is shared with the browser desk's title badge.
export { badgeText };

/** The screen-reader text for the Windows taskbar overlay, which has no other label. */
export function overlayDescription(count: number): string {
  const text = badgeText(count);
  if (text === '') return '';
  return `${text} unacknowledged ${text === '1' ? 'case' : 'cases'}`;
}

/**
 * The tray tooltip. "Stale" comes first when the desk is not connected, because a desk that shows
 * old data as live is one of the hazards in the clinical safety case.
 */
export function trayTooltip(count: number, connection: ConnectionState): string {
  const state = connection === 'live' ? 'Live' : 'NOT CONNECTED — data may be out of date';
  const work = badgeText(count) === '' ? 'nothing unacknowledged' : overlayDescription(count);
  return `Clarion — ${state} — ${work}`;
}

export type TrayIconState = 'live' | 'live-with-alerts' | 'stale';

export function trayIconState(count: number, connection: ConnectionState): TrayIconState {
  if (connection === 'stale') return 'stale';
  return badgeText(count) === '' ? 'live' : 'live-with-alerts';
}
