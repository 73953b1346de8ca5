// What the desk can ask of the machine it runs on, whether that is the Clarion desktop app or a
// plain browser on a ward PC. Call `getPlatform()` once and use the result everywhere:
//
//   const platform = getPlatform();
//   await platform.notify({ caseId, kind: 'martha', title: "Martha's Rule call — Ward 3", body: `Case #${ref}`, urgent: true });
//   await platform.setBadge(unacknowledgedCount);        // taskbar badge, or "(3) Clarion" in the tab
//   await platform.setConnection(live ? 'live' : 'stale');
//   const stop = platform.onFocusCase((caseId) => selection.open(caseId));
//   await platform.withdraw(key);                        // the alert notified with `key` is over: take it down
//
// Every method answers with `{ ok: true, value } | { ok: false, error }` and never throws.
// Alert titles and bodies show on lock screens: no patient text (see DesktopAlertSchema).
import {
  alertStaysUntilHandled,
  badgeText,
  AlertKeySchema,
  BridgeResponseSchemas,
  bridgeResultSchema,
  CLARION_BRIDGE_LATER_METHODS,
  CLARION_BRIDGE_METHODS,
  DesktopAlertSchema,
  BadgeCountSchema,
  ConnectionStateSchema,
  DesktopSettingsPatchSchema,
  invalidArgument,
  type BridgeResult,
  type ClarionBridge,
  type DesktopAlert,
  type DesktopSettings,
  type InstalledClarionBridge,
  type InvokeChannel,
} from '../../../shared/bridge';
import type { z } from 'zod';
import { LiveAlerts } from '../../../shared/live-alerts';

export interface Platform extends ClarionBridge {
  /** 'desktop' inside the Clarion app, 'browser' otherwise; for display, not for branching logic. */
  readonly kind: 'desktop' | 'browser';
}

/** The parts of the Web Notification API the fallback uses. */
export interface WebNotificationLike {
  // `never` so the DOM's (this: Notification, ev: Event) handler type fits; we never read the event.
  onclick: ((event: never) => unknown) | null;
  close(): void;
}
export interface WebNotificationConstructor {
  new (title: string, options: { body: string; tag: string; requireInteraction: boolean; silent: boolean }): WebNotificationLike;
  readonly permission: 'default' | 'granted' | 'denied';
  requestPermission(): Promise<'default' | 'granted' | 'denied'>;
}

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** What the browser fallback needs from its surroundings; `getPlatform()` takes these from `window`. */
export interface BrowserEnvironment {
  origin: string;
  document: { title: string };
  Notification?: WebNotificationConstructor;
  storage?: StorageLike;
  focusWindow(): void;
}

export const SETTINGS_STORAGE_KEY = 'clarion.desktopSettings';

const LATER_METHODS: ReadonlySet<string> = new Set(CLARION_BRIDGE_LATER_METHODS);

/**
 * True when `candidate` has every bridge method, except perhaps those an older app lacks (`CLARION_BRIDGE_LATER_METHODS`);
 * anything else on `window.clarion` is ignored.
 */
export function isClarionBridge(candidate: unknown): candidate is InstalledClarionBridge {
  if (typeof candidate !== 'object' || candidate === null) return false;
  const record = candidate as Record<string, unknown>;
  return CLARION_BRIDGE_METHODS.every((method) => typeof record[method] === 'function' || (LATER_METHODS.has(method) && record[method] === undefined));
}

function failure(code: 'failed' | 'unsupported' | 'declined', message: string): { ok: false; error: { code: typeof code; message: string } } {
  return { ok: false, error: { code, message } };
}

/**
 * Wraps the preload's bridge so a surprise from it (a throw, a malformed answer after an update
 * mismatch) becomes a failed result instead of breaking the desk.
 */
function desktopPlatform(bridge: InstalledClarionBridge): Platform {
  async function call<C extends InvokeChannel>(channel: C, run: () => Promise<unknown>): Promise<BridgeResult<z.output<(typeof BridgeResponseSchemas)[C]>>> {
    try {
      const parsed = bridgeResultSchema(BridgeResponseSchemas[channel]).safeParse(await run());
      if (!parsed.success) return failure('failed', `unexpected answer from the desktop app on ${channel}`);
      // The schema for C produced this value; TypeScript cannot follow a schema chosen by a generic key.
      return parsed.data as BridgeResult<z.output<(typeof BridgeResponseSchemas)[C]>>;
    } catch {
      return failure('failed', `the desktop app did not answer ${channel}`);
    }
  }
  const withdraw = bridge.withdraw;
  // An app without `withdraw` also has the DesktopAlert schema from before `key`, which it would refuse whole.
  const sendable = (alert: DesktopAlert): DesktopAlert => {
    if (withdraw !== undefined || alert.key === undefined) return alert;
    const { key: _unsendable, ...rest } = alert;
    return rest;
  };
  return {
    kind: 'desktop',
    notify: (alert) => call('clarion:notify', () => bridge.notify(sendable(alert))),
    setBadge: (count) => call('clarion:set-badge', () => bridge.setBadge(count)),
    setConnection: (state) => call('clarion:set-connection', () => bridge.setConnection(state)),
    flash: () => call('clarion:flash', () => bridge.flash()),
    getSettings: () => call('clarion:get-settings', () => bridge.getSettings()),
    setSettings: (patch) => call('clarion:set-settings', () => bridge.setSettings(patch)),
    onFocusCase: (listener) => bridge.onFocusCase(listener),
    withdraw: (key) =>
      withdraw === undefined
        ? Promise.resolve(failure('unsupported', 'this version of the desktop app cannot withdraw a notification'))
        : call('clarion:withdraw', () => withdraw.call(bridge, key)),
  };
}

function browserPlatform(environment: BrowserEnvironment): Platform {
  const listeners = new Set<(caseId: string) => void>();
  // The title without any badge we added earlier (a reload keeps the old title only in history).
  const baseTitle = environment.document.title.replace(/^\(\d+\+?\) /, '') || 'Clarion';
  // By case, as the tag replaces: kept so a notification's click handler survives until it is used, with the alert's
  // key so that it can be withdrawn; the same record the desktop app keeps (shared/live-alerts.ts).
  const open = new LiveAlerts<WebNotificationLike>();

  function readStoredSettings(): DesktopSettings {
    const defaults: DesktopSettings = { hubUrl: environment.origin, startAtLogin: false, kiosk: false, alertWindowOnTop: false };
    const text = environment.storage?.getItem(SETTINGS_STORAGE_KEY) ?? null;
    if (text === null) return defaults;
    try {
      const stored = DesktopSettingsPatchSchema.safeParse(JSON.parse(text));
      // In a browser the hub is always the page's own origin, whatever was stored.
      return stored.success ? { ...defaults, ...stored.data, hubUrl: environment.origin } : defaults;
    } catch {
      return defaults;
    }
  }

  return {
    kind: 'browser',

    async notify(input) {
      const parsed = DesktopAlertSchema.safeParse(input);
      if (!parsed.success) return invalidArgument(parsed.error);
      const alert = parsed.data;
      const WebNotification = environment.Notification;
      if (WebNotification === undefined) return failure('unsupported', 'this browser cannot show notifications');
      let permission = WebNotification.permission;
      if (permission === 'default') permission = await WebNotification.requestPermission();
      if (permission !== 'granted') return failure('declined', 'notifications are blocked for this site');
      const sticky = alertStaysUntilHandled(alert);
      // One tag per case: a newer alert for the same case replaces the older one instead of stacking.
      const notification = new WebNotification(alert.title, {
        body: alert.body,
        tag: `clarion-case-${alert.caseId}`,
        requireInteraction: sticky,
        silent: false,
      });
      open.show(alert.caseId, notification, sticky, alert.key);
      notification.onclick = () => {
        open.release(alert.caseId, notification);
        environment.focusWindow();
        notification.close();
        for (const listener of listeners) listener(alert.caseId);
      };
      return { ok: true, value: null };
    },

    async setBadge(input) {
      const parsed = BadgeCountSchema.safeParse(input);
      if (!parsed.success) return invalidArgument(parsed.error);
      const text = badgeText(parsed.data);
      environment.document.title = text === '' ? baseTitle : `(${text}) ${baseTitle}`;
      if (parsed.data === 0) {
        open.closeAll();
      }
      return { ok: true, value: null };
    },

    async setConnection(input) {
      const parsed = ConnectionStateSchema.safeParse(input);
      // The desk shows its own live/stale banner; a browser has no tray to update.
      return parsed.success ? { ok: true, value: null } : invalidArgument(parsed.error);
    },

    async flash() {
      // Browsers cannot flash the taskbar; the title badge is the visible signal.
      return { ok: true, value: null };
    },

    async getSettings() {
      return { ok: true, value: readStoredSettings() };
    },

    async setSettings(input) {
      const parsed = DesktopSettingsPatchSchema.safeParse(input);
      if (!parsed.success) return invalidArgument(parsed.error);
      if (parsed.data.hubUrl !== undefined && parsed.data.hubUrl !== environment.origin) {
        return failure('unsupported', "in a browser, open the other hub's address instead");
      }
      const next = { ...readStoredSettings(), ...parsed.data, hubUrl: environment.origin };
      if (environment.storage === undefined) return failure('unsupported', 'this browser cannot store settings');
      environment.storage.setItem(SETTINGS_STORAGE_KEY, JSON.stringify({ startAtLogin: next.startAtLogin, kiosk: next.kiosk, alertWindowOnTop: next.alertWindowOnTop }));
      return { ok: true, value: next };
    },

    onFocusCase(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    async withdraw(input) {
      const parsed = AlertKeySchema.safeParse(input);
      if (!parsed.success) return invalidArgument(parsed.error);
      // Only while it is still the case's notification: a newer alert for the case has replaced it and is still running.
      open.withdraw(parsed.data);
      return { ok: true, value: null };
    },
  };
}

/** The platform for a given bridge candidate and browser environment; `getPlatform()` is the usual entry. */
export function createPlatform(bridge: unknown, environment: BrowserEnvironment): Platform {
  return isClarionBridge(bridge) ? desktopPlatform(bridge) : browserPlatform(environment);
}

let current: Platform | null = null;

/** The platform of this window, created on first use. */
export function getPlatform(): Platform {
  if (current !== null) return current;
  const host = globalThis as typeof globalThis & { clarion?: unknown };
  let storage: StorageLike | undefined;
  try {
    storage = globalThis.localStorage;
  } catch {
    // Storage can be disabled by policy; settings then simply are not remembered.
    storage = undefined;
  }
  current = createPlatform(host.clarion, {
    origin: globalThis.location.origin,
    document: globalThis.document,
    Notification: 'Notification' in globalThis ? globalThis.Notification : undefined,
    storage,
    focusWindow: () => globalThis.focus(),
  });
  return current;
}
