// The one desk window: hardened webPreferences, restored size and position, saved on close.
import { BrowserWindow, screen } from 'electron';
import type { Settings } from './settings';
import { secureWebPreferences } from './web-preferences';
import { loadWindowState, MINIMUM_WINDOW_SIZE, restoreWindow, saveWindowState } from './window-state';
import { describeError } from './json-file';

export interface DeskWindowOptions {
  settings: Settings;
  userDataDirectory: string;
  preloadPath: string;
  allowDevTools: boolean;
  log: (line: string) => void;
}

export function createDeskWindow(options: DeskWindowOptions): BrowserWindow {
  const displays = [screen.getPrimaryDisplay(), ...screen.getAllDisplays()];
  const restored = restoreWindow(
    loadWindowState(options.userDataDirectory),
    displays.map((display) => display.workArea),
  );
  const window = new BrowserWindow({
    ...restored.bounds,
    minWidth: MINIMUM_WINDOW_SIZE.width,
    minHeight: MINIMUM_WINDOW_SIZE.height,
    title: 'Clarion',
    show: false,
    backgroundColor: '#f0f4f5',
    autoHideMenuBar: true,
    kiosk: options.settings.kiosk,
    webPreferences: secureWebPreferences(options.preloadPath, options.allowDevTools),
  });
  if (restored.maximized && !options.settings.kiosk) window.maximize();
  window.once('ready-to-show', () => window.show());

  window.on('close', () => {
    try {
      saveWindowState(options.userDataDirectory, { ...window.getNormalBounds(), maximized: window.isMaximized() });
    } catch (error) {
      options.log(`[window] could not save window state: ${describeError(error)}`);
    }
  });
  return window;
}
