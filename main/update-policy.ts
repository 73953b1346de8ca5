// Whether and where the shell looks for updates. electron-updater is wired in, but a hospital's
// change control decides when desks update, so nothing is fetched unless the settings file names
// the trust's own generic update server and enables it.
import type { Settings } from './settings';

export interface GenericUpdateFeed {
  provider: 'generic';
  url: string;
}

export function updateFeed(settings: Settings): GenericUpdateFeed | null {
  if (!settings.updates.enabled || settings.updates.feedUrl === null) return null;
  return { provider: 'generic', url: settings.updates.feedUrl };
}
