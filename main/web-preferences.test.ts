import { describe, expect, it } from 'vitest';
import { secureWebPreferences } from './web-preferences';

describe('secureWebPreferences', () => {
  const preferences = secureWebPreferences('/app/dist/main/preload.cjs', false);

  it('isolates, sandboxes and keeps Node out of the page (checklist items 2, 3, 4)', () => {
    expect(preferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
  });

  it('keeps web security and refuses insecure or experimental features (items 6, 8, 9, 10)', () => {
    expect(preferences).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      enableBlinkFeatures: '',
    });
  });

  it('has no webview tag and does not navigate on file drops (items 11, 12, 18)', () => {
    expect(preferences).toMatchObject({ webviewTag: false, navigateOnDragDrop: false });
  });

  it('loads the given preload and allows DevTools only when asked', () => {
    expect(preferences.preload).toBe('/app/dist/main/preload.cjs');
    expect(preferences.devTools).toBe(false);
    expect(secureWebPreferences('/p.cjs', true).devTools).toBe(true);
  });
});
