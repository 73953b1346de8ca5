// What the taskbar, dock and tray say about the desk. Pure text and numbers; main puts them on screen.
import type { ConnectionState } from '../shared/bridge';

/** Badges have room for two digits; beyond that the exact number stops mattering, "a lot" does not. */
export const BADGE_CAP = 99;

/** '' for nothing to do, '1'–'99', then '99+'. */
export function badgeText(count: number): string {
  if (!Number.isFinite(count) || count <= 0) return '';
  const whole = Math.floor(count);
  return whole > BADGE_CAP ? `${BADGE_CAP}+` : String(whole);
}

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
