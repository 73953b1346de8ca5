// Which web permissions the desk window gets. Electron grants every permission unless told
// otherwise; the desk needs exactly one (notifications, for the browser fallback it shares with
// plain browsers), and only for the hub's own pages.
import { isHubUrl } from './navigation-policy';

const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications']);

export interface PermissionQuery {
  permission: string;
  /** The URL (or origin) of the page asking; empty when Electron cannot tell, which is a refusal. */
  requestingUrl: string;
}

export function isPermissionGranted(query: PermissionQuery, hubOrigin: string): boolean {
  return GRANTED_PERMISSIONS.has(query.permission) && isHubUrl(query.requestingUrl, hubOrigin);
}
