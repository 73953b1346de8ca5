// The desk window's webPreferences, spelled out even where they equal Electron's defaults: a
// default can change between releases, and a reviewer should not need to know it.
import type { WebPreferences } from 'electron';

export function secureWebPreferences(preloadPath: string, allowDevTools: boolean): WebPreferences {
  return {
    preload: preloadPath,
    // The page runs in its own JavaScript world and cannot reach the preload's objects or Node.
    contextIsolation: true,
    // The renderer process is confined by the OS sandbox; the preload gets only a tiny require().
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    webviewTag: false,
    // Dropping a file on the window must not navigate it to file://.
    navigateOnDragDrop: false,
    // A page that opens dialogs in a loop can be stopped by the user.
    safeDialogs: true,
    // Spell-checking sends words to a dictionary service on some platforms; the desk holds patient text.
    spellcheck: false,
    devTools: allowDevTools,
  };
}
