// electron-updater, started only when the settings name the trust's own update server.
import { describeError } from './json-file';
import type { Settings } from './settings';
import { updateFeed } from './update-policy';

export async function startUpdates(settings: Settings, log: (line: string) => void): Promise<void> {
  const feed = updateFeed(settings);
  if (feed === null) {
    log('[updates] off (enable in settings.json with a trust update server)');
    return;
  }
  try {
    // Loaded only when enabled, so a desk with updates off never runs the updater's code.
    const { autoUpdater } = await import('electron-updater');
    autoUpdater.setFeedURL(feed);
    autoUpdater.on('error', (error: Error) => log(`[updates] ${error.message}`));
    log(`[updates] checking ${feed.url}`);
    await autoUpdater.checkForUpdatesAndNotify();
  } catch (error) {
    log(`[updates] check failed: ${describeError(error)}`);
  }
}
