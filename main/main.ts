// Electron entry point: wires the tested policy modules into Electron and does nothing else.
import { app, dialog, ipcMain, session, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import type { BridgeResult, DesktopSettings, DesktopSettingsPatch } from '../shared/bridge';
import { createBridgeRouter, INVOKE_CHANNELS } from './bridge-router';
import { hardenAllWebContents } from './content-hardening';
import { createDeskWindow } from './desk-window';
import { NativeAlerts } from './native-alerts';
import { hardenSession } from './session-hardening';
import { applySettingsPatch, desktopSettingsView, loadSettings, resolveHubOrigin, saveSettings, type Settings } from './settings';
import { startUpdates } from './updates';

/** Also the Windows AppUserModelID, which notifications need; keep equal to appId in electron-builder.yml. */
const APP_ID = 'uk.nhs.clarion.desk';
const RELOAD_AFTER_FAILURE_MS = 5_000;

/** Diagnostics go to stderr, one line each with a [component] prefix; never patient text or URLs from messages. */
function log(line: string): void {
  console.warn(line);
}

let deskWindow: BrowserWindow | null = null;
let hubOrigin = '';
let settings: Settings;

// Tests and side-by-side development runs need their own profile (settings, window state, cookies).
// Never honoured in a packaged app, where the profile location is the OS's business.
const userDataOverride = process.env['CLARION_USER_DATA_DIR'];
if (!app.isPackaged && userDataOverride !== undefined && userDataOverride !== '') app.setPath('userData', userDataOverride);

if (!app.requestSingleInstanceLock()) {
  // A second copy would fight the first over the tray, badge and notifications; the first one is focused instead.
  app.quit();
} else {
  // Sandbox every renderer, including any a future change forgets to configure.
  app.enableSandbox();
  app.setAppUserModelId(APP_ID);
  hardenAllWebContents({ hubOrigin: () => hubOrigin, deskWindow: () => deskWindow, log });
  app.on('window-all-closed', () => app.quit());
  app.whenReady().then(start, (error: unknown) => {
    log(`[main] failed to start: ${String(error)}`);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  const userDataDirectory = app.getPath('userData');
  const loaded = loadSettings(userDataDirectory);
  settings = loaded.settings;
  const resolved = resolveHubOrigin(settings, process.env);
  hubOrigin = resolved.hubOrigin;
  const problems = [loaded.problem, resolved.problem].filter((problem): problem is string => problem !== null);
  problems.forEach((problem) => log(`[settings] ${problem}`));

  hardenSession(session.defaultSession, () => hubOrigin, log);
  applyLoginItem();

  const window = createDeskWindow({
    settings,
    userDataDirectory,
    preloadPath: join(__dirname, 'preload.cjs'),
    allowDevTools: !app.isPackaged,
    log,
  });
  deskWindow = window;
  window.on('closed', () => {
    deskWindow = null;
  });

  const alerts = new NativeAlerts({
    deskWindow: () => deskWindow,
    hubOrigin: () => hubOrigin,
    alertWindowOnTop: () => settings.alertWindowOnTop,
    log,
  });
  alerts.start();
  app.on('second-instance', () => alerts.focusDesk());
  app.on('before-quit', () => alerts.dispose());

  const route = createBridgeRouter(
    {
      notify: (alert) => alerts.notify(alert),
      withdraw: (key) => alerts.withdraw(key),
      setBadge: (count) => alerts.setBadge(count),
      setConnection: (state) => alerts.setConnection(state),
      flash: () => alerts.flash(),
      getSettings: () => ({ ...desktopSettingsView(settings), hubUrl: hubOrigin }),
      setSettings: (patch) => changeSettings(userDataDirectory, patch),
    },
    () => ({ hubOrigin, deskWebContentsId: deskWindow?.webContents.id ?? null }),
    log,
  );
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, argument: unknown) =>
      route(
        channel,
        {
          webContentsId: event.sender.id,
          frame: event.senderFrame ? { url: event.senderFrame.url, isMainFrame: event.senderFrame.parent === null } : null,
        },
        argument,
      ),
    );
  }

  // A hub still starting, or a ward PC whose network comes up after login: keep trying.
  window.webContents.on('did-fail-load', (_event, errorCode, errorDescription, _url, isMainFrame) => {
    if (!isMainFrame || errorCode === -3 /* ERR_ABORTED: superseded by another load */) return;
    log(`[window] hub not reachable (${errorDescription}); retrying`);
    setTimeout(() => void deskWindow?.loadURL(`${hubOrigin}/`).catch(() => undefined), RELOAD_AFTER_FAILURE_MS);
  });
  window.loadURL(`${hubOrigin}/`).catch(() => undefined);

  if (problems.length > 0) {
    void dialog.showMessageBox(window, {
      type: 'warning',
      message: 'Clarion is using default settings',
      detail: problems.join('\n\n'),
    });
  }
  void startUpdates(settings, log);
}

function applyLoginItem(): void {
  // In development this would register the bare Electron binary as a login item.
  if (app.isPackaged) app.setLoginItemSettings({ openAtLogin: settings.startAtLogin });
}

async function changeSettings(userDataDirectory: string, patch: DesktopSettingsPatch): Promise<BridgeResult<DesktopSettings>> {
  const next = applySettingsPatch(settings, patch);
  const hubChanged = patch.hubUrl !== undefined && patch.hubUrl !== hubOrigin;
  if (hubChanged && deskWindow !== null) {
    // The page asking could be compromised; pointing the desk (and its bridge) at another server
    // needs a person's yes in a dialog the page cannot draw or click.
    const { response } = await dialog.showMessageBox(deskWindow, {
      type: 'question',
      buttons: ['Keep current hub', 'Switch hub'],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
      message: `Connect Clarion to ${next.hubUrl}?`,
      detail: `Clarion is connected to ${hubOrigin}. Only switch if your IT team told you to.`,
    });
    if (response !== 1) return { ok: false, error: { code: 'declined', message: 'the hub was not changed' } };
  }
  saveSettings(userDataDirectory, next);
  settings = next;
  applyLoginItem();
  deskWindow?.setKiosk(settings.kiosk);
  if (hubChanged) {
    hubOrigin = settings.hubUrl;
    deskWindow?.loadURL(`${hubOrigin}/`).catch(() => undefined);
  }
  return { ok: true, value: { ...desktopSettingsView(settings), hubUrl: hubOrigin } };
}
