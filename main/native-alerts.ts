// Alerts outside the page: native notifications that stay until handled, the taskbar/dock badge,
// the tray, a flashing taskbar entry and, on a wall display, a window held above the others.
// Every decision comes from the pure policy modules; this file only puts it on screen.
import { app, nativeImage, Notification, Tray, type BrowserWindow, type NativeImage } from 'electron';
import { BridgeChannel, type ConnectionState, type DesktopAlert } from '../shared/bridge';
import { badgeText, overlayDescription, trayIconState, trayTooltip, type TrayIconState } from './badge';
import { iconPng, type IconMark } from './icon-image';
import { isHubUrl } from './navigation-policy';
import { LiveAlerts } from '../shared/live-alerts';
import { notificationFor, shouldHoldOnTop } from './notification-policy';

export interface NativeAlertsOptions {
  deskWindow: () => BrowserWindow | null;
  hubOrigin: () => string;
  alertWindowOnTop: () => boolean;
  log: (line: string) => void;
}

const TRAY_MARKS: Record<TrayIconState, IconMark> = { live: 'none', 'live-with-alerts': 'alert', stale: 'stale' };

function image(size: number, mark: IconMark, scaleFactor = 1): NativeImage {
  return nativeImage.createFromBuffer(iconPng(size, mark), { scaleFactor });
}

export class NativeAlerts {
  readonly #options: NativeAlertsOptions;
  readonly #live = new LiveAlerts<Notification>();
  readonly #notificationIcon = image(256, 'none');
  readonly #overlayIcon = image(32, 'alert');
  #tray: Tray | null = null;
  #count = 0;
  // Stale until the desk says otherwise: never claim to be live before we know.
  #connection: ConnectionState = 'stale';

  constructor(options: NativeAlertsOptions) {
    this.#options = options;
  }

  start(): void {
    // 32 px drawn at scale 2 gives a sharp 16-point tray icon on high-density screens.
    this.#tray = new Tray(image(32, 'stale', 2));
    this.#tray.on('click', () => this.focusDesk());
    this.#refreshIndicators();
    // A new document in the desk window (a reload, the hub changed) has forgotten which alerts the old one raised and
    // can never withdraw them. Not on a crash: nothing reloads a crashed page, and its notifications are then the only
    // sign left of what is waiting.
    this.#options.deskWindow()?.webContents.on('did-navigate', () => this.pageReplaced());
  }

  notify(alert: DesktopAlert): void {
    const spec = notificationFor(alert);
    if (!Notification.isSupported()) {
      this.#options.log('[alerts] native notifications unsupported here; flashing instead');
      this.flash();
      return;
    }
    const notification = new Notification({
      title: spec.title,
      body: spec.body,
      urgency: spec.urgency,
      timeoutType: spec.timeoutType,
      silent: spec.silent,
      icon: this.#notificationIcon,
    });
    notification.on('click', () => {
      this.#live.release(alert.caseId, notification);
      this.focusDesk();
      this.#sendFocusCase(alert.caseId);
      this.#refreshOnTop();
    });
    notification.on('close', () => {
      this.#live.release(alert.caseId, notification);
      this.#refreshOnTop();
    });
    notification.on('failed', (_event, error) => this.#options.log(`[alerts] notification failed: ${error}`));
    this.#live.show(alert.caseId, notification, spec.sticky, alert.key);
    notification.show();
    if (spec.sticky) this.flash();
    this.#refreshOnTop();
  }

  /** The desk says the alert `key` names is over (acknowledged, resolved, moved...): its notification would be stale. */
  withdraw(key: string): void {
    if (this.#live.withdraw(key)) this.#refreshOnTop();
  }

  /**
   * The page that raised the notifications on screen was replaced. They are taken down rather than left to go stale:
   * the new page raises Martha's Rule calls and overdue cases again, and puts the alerts addressed to the user back in
   * its tray, counted as new (docs/desk.md).
   */
  pageReplaced(): void {
    if (this.#live.size === 0) return;
    this.#live.closeAll();
    this.#refreshOnTop();
  }

  setBadge(count: number): void {
    this.#count = count;
    if (count === 0) {
      // Nothing left to acknowledge: alerts still on screen would be stale, so take them down.
      this.#live.closeAll();
      this.#options.deskWindow()?.flashFrame(false);
    }
    this.#refreshIndicators();
    this.#refreshOnTop();
  }

  setConnection(state: ConnectionState): void {
    this.#connection = state;
    this.#refreshIndicators();
  }

  /** Flashes until the window gains focus; Electron stops it on focus on Windows, we do it everywhere. */
  flash(): void {
    const window = this.#options.deskWindow();
    if (window === null || window.isFocused()) return;
    window.flashFrame(true);
    window.once('focus', () => window.flashFrame(false));
  }

  focusDesk(): void {
    const window = this.#options.deskWindow();
    if (window === null) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  }

  dispose(): void {
    this.#live.closeAll();
    this.#tray?.destroy();
    this.#tray = null;
  }

  #sendFocusCase(caseId: string): void {
    const window = this.#options.deskWindow();
    // A case id goes only to the hub's own page, never to whatever else the window might show.
    if (window === null || !isHubUrl(window.webContents.getURL(), this.#options.hubOrigin())) return;
    window.webContents.send(BridgeChannel.focusCase, caseId);
  }

  #refreshIndicators(): void {
    const text = badgeText(this.#count);
    if (process.platform === 'darwin') app.dock?.setBadge(text);
    else app.setBadgeCount(this.#count);
    const window = this.#options.deskWindow();
    if (process.platform === 'win32' && window !== null) {
      window.setOverlayIcon(text === '' ? null : this.#overlayIcon, overlayDescription(this.#count));
    }
    if (this.#tray !== null) {
      this.#tray.setToolTip(trayTooltip(this.#count, this.#connection));
      this.#tray.setImage(image(32, TRAY_MARKS[trayIconState(this.#count, this.#connection)], 2));
    }
  }

  #refreshOnTop(): void {
    const window = this.#options.deskWindow();
    if (window === null) return;
    const hold = shouldHoldOnTop(this.#options.alertWindowOnTop(), this.#live.stickyCount, this.#count);
    if (hold === window.isAlwaysOnTop()) return;
    // 'screen-saver' sits above full-screen apps on macOS, which a wall display may be running.
    window.setAlwaysOnTop(hold, 'screen-saver');
    if (hold) this.focusDesk();
  }
}
