// Rules applied to every webContents the app ever creates (the desk window, DevTools, anything a
// future change adds), so that no new window can forget them. After Signal Desktop's app/main.
import { app, dialog, shell, type BrowserWindow, type WebContents } from 'electron';
import { decideNavigation, describeExternalLink } from './navigation-policy';

export interface ContentHardeningOptions {
  hubOrigin: () => string;
  deskWindow: () => BrowserWindow | null;
  log: (line: string) => void;
}

export function hardenAllWebContents(options: ContentHardeningOptions): void {
  // One confirmation at a time: a hostile page calling window.open in a loop gets one dialog, not a flood.
  let confirming = false;

  async function offerToSystemBrowser(url: string): Promise<void> {
    const decision = decideNavigation(url, options.hubOrigin());
    if (decision.action !== 'open-externally' || confirming) return;
    confirming = true;
    try {
      const { message, detail } = describeExternalLink(decision.url);
      const parent = options.deskWindow();
      const dialogOptions = { type: 'warning' as const, buttons: ['Cancel', 'Open in browser'], defaultId: 0, cancelId: 0, noLink: true, message, detail };
      const { response } = parent ? await dialog.showMessageBox(parent, dialogOptions) : await dialog.showMessageBox(dialogOptions);
      if (response === 1) await shell.openExternal(decision.url);
    } finally {
      confirming = false;
    }
  }

  function refuse(kind: string, reason: string): void {
    // The URL is not logged: it may be a link out of a patient's message.
    options.log(`[navigation] refused ${kind}: ${reason}`);
  }

  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
      refuse('webview', 'webviews are never attached');
    });

    contents.on('will-navigate', (event) => {
      const decision = decideNavigation(event.url, options.hubOrigin());
      if (decision.action === 'allow') return;
      event.preventDefault();
      if (decision.action === 'open-externally') void offerToSystemBrowser(decision.url);
      else refuse('navigation', decision.reason);
    });

    // A redirect is the server's choice, not a click, so it is never offered to the browser.
    contents.on('will-redirect', (event) => {
      const decision = decideNavigation(event.url, options.hubOrigin());
      if (decision.action === 'allow') return;
      event.preventDefault();
      refuse('redirect', decision.action === 'deny' ? decision.reason : 'redirect off the hub');
    });

    // The desk is one window. Links with target=_blank go to the system browser after a
    // confirmation; no page, not even the hub's, may open a second Electron window (it would
    // inherit the preload).
    contents.setWindowOpenHandler(({ url }) => {
      const decision = decideNavigation(url, options.hubOrigin());
      if (decision.action === 'open-externally') void offerToSystemBrowser(decision.url);
      else refuse('new window', decision.action === 'deny' ? decision.reason : 'the desk is a single window');
      return { action: 'deny' };
    });
  });
}
