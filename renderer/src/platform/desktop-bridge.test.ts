import { describe, expect, it } from 'vitest';
import type { BridgeResult, ClarionBridge, DesktopAlert, DesktopSettings } from '../../../shared/bridge';
import {
  createPlatform,
  isClarionBridge,
  SETTINGS_STORAGE_KEY,
  type BrowserEnvironment,
  type StorageLike,
  type WebNotificationLike,
} from './desktop-bridge';

const martha: DesktopAlert = { caseId: 'c1', kind: 'martha', title: "Martha's Rule call — Ward 3", body: 'Case #1042', urgent: false };
const warning: DesktopAlert = { caseId: 'c2', kind: 'warning', title: 'Respond-by soon', body: 'Case #7', urgent: false };

/** A working in-memory Notification API: permission state, constructed notifications, clicks. */
function notificationApi(initialPermission: 'default' | 'granted' | 'denied', answer: 'granted' | 'denied' = 'granted') {
  const shown: FakeNotification[] = [];
  class FakeNotification implements WebNotificationLike {
    static permission = initialPermission;
    static async requestPermission(): Promise<'default' | 'granted' | 'denied'> {
      FakeNotification.permission = answer;
      return answer;
    }
    onclick: ((event: never) => unknown) | null = null;
    closed = false;
    closeCalls = 0;
    constructor(
      readonly title: string,
      readonly options: { body: string; tag: string; requireInteraction: boolean; silent: boolean },
    ) {
      shown.push(this);
    }
    close(): void {
      this.closed = true;
      this.closeCalls += 1;
    }
    click(): void {
      (this.onclick as (() => unknown) | null)?.();
    }
  }
  return { Notification: FakeNotification, shown };
}

class MemoryStorage implements StorageLike {
  readonly values = new Map<string, string>();
  getItem(key: string): string | null {
    return this.values.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.values.set(key, value);
  }
}

function browser(overrides: Partial<BrowserEnvironment> = {}) {
  const focused: number[] = [];
  const environment: BrowserEnvironment = {
    origin: 'http://127.0.0.1:4610',
    document: { title: 'Clarion' },
    storage: new MemoryStorage(),
    focusWindow: () => focused.push(1),
    ...overrides,
  };
  return { environment, focused };
}

describe('isClarionBridge', () => {
  it('accepts an object with every bridge method and nothing less', () => {
    const ok = async () => ({ ok: true, value: null });
    const complete = { notify: ok, setBadge: ok, setConnection: ok, flash: ok, getSettings: ok, setSettings: ok, onFocusCase: () => () => undefined };
    expect(isClarionBridge(complete)).toBe(true);
    expect(isClarionBridge({ ...complete, flash: 'yes' })).toBe(false);
    // An older app lacks withdraw and is still the desktop app; something else under that name is not.
    expect(isClarionBridge({ ...complete, withdraw: ok })).toBe(true);
    expect(isClarionBridge({ ...complete, withdraw: 'yes' })).toBe(false);
    const { onFocusCase: _dropped, ...incomplete } = complete;
    expect(isClarionBridge(incomplete)).toBe(false);
    expect(isClarionBridge(undefined)).toBe(false);
    expect(isClarionBridge('clarion')).toBe(false);
  });
});

describe('in the desktop app', () => {
  const settings: DesktopSettings = { hubUrl: 'http://127.0.0.1:4610', startAtLogin: false, kiosk: true, alertWindowOnTop: false };

  function desktop(overrides: Partial<Record<keyof ClarionBridge, unknown>> = {}) {
    const calls: unknown[][] = [];
    const bridge = {
      notify: async (alert: DesktopAlert) => (calls.push(['notify', alert]), { ok: true, value: null }),
      setBadge: async (count: number) => (calls.push(['setBadge', count]), { ok: true, value: null }),
      setConnection: async () => ({ ok: true, value: null }),
      flash: async () => ({ ok: true, value: null }),
      getSettings: async (): Promise<BridgeResult<DesktopSettings>> => ({ ok: true, value: settings }),
      setSettings: async () => ({ ok: true, value: settings }),
      onFocusCase: (listener: (caseId: string) => void) => {
        calls.push(['onFocusCase', listener]);
        return () => undefined;
      },
      ...overrides,
    };
    const { environment } = browser();
    return { platform: createPlatform(bridge, environment), calls, environment };
  }

  it('uses window.clarion and leaves the page title alone', async () => {
    const { platform, calls, environment } = desktop();
    expect(platform.kind).toBe('desktop');
    expect(await platform.notify(martha)).toEqual({ ok: true, value: null });
    expect(await platform.setBadge(3)).toEqual({ ok: true, value: null });
    expect(await platform.getSettings()).toEqual({ ok: true, value: settings });
    expect(calls.slice(0, 2)).toEqual([
      ['notify', martha],
      ['setBadge', 3],
    ]);
    expect(environment.document.title).toBe('Clarion');
  });

  it('turns a throwing or malformed bridge into a failed result', async () => {
    const { platform } = desktop({
      notify: async () => {
        throw new Error('ipc closed');
      },
      getSettings: async () => ({ ok: true, value: { hubUrl: 'file:///etc' } }),
    });
    expect(await platform.notify(martha)).toMatchObject({ ok: false, error: { code: 'failed' } });
    expect(await platform.getSettings()).toMatchObject({ ok: false, error: { code: 'failed' } });
  });

  it('passes a withdrawal and the alert’s key to an app that can withdraw', async () => {
    const { platform, calls } = desktop({
      withdraw: async (key: string) => (calls.push(['withdraw', key]), { ok: true, value: null }),
    });
    expect(await platform.notify({ ...martha, key: 'martha:c1' })).toEqual({ ok: true, value: null });
    expect(await platform.withdraw('martha:c1')).toEqual({ ok: true, value: null });
    expect(calls.filter(([method]) => method !== 'onFocusCase')).toEqual([
      ['notify', { ...martha, key: 'martha:c1' }],
      ['withdraw', 'martha:c1'],
    ]);
  });

  it('still uses an older app without withdraw, sending it alerts its schema accepts', async () => {
    const { platform, calls } = desktop();
    expect(platform.kind).toBe('desktop');
    expect(await platform.notify({ ...martha, key: 'martha:c1' })).toEqual({ ok: true, value: null });
    // The older app's strict schema would refuse the key, and with it the notification.
    expect(calls[0]).toEqual(['notify', martha]);
    expect(await platform.withdraw('martha:c1')).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });

  it('ignores a window.clarion that lacks methods and falls back to the browser', () => {
    const { environment } = browser();
    expect(createPlatform({ notify: () => undefined }, environment).kind).toBe('browser');
  });
});

describe('in a browser', () => {
  it('shows sticky alerts with requireInteraction, asking for permission first', async () => {
    const api = notificationApi('default');
    const { environment } = browser({ Notification: api.Notification });
    const platform = createPlatform(undefined, environment);
    expect(platform.kind).toBe('browser');
    expect(await platform.notify(martha)).toEqual({ ok: true, value: null });
    expect(await platform.notify(warning)).toEqual({ ok: true, value: null });
    expect(api.shown.map((shown) => [shown.title, shown.options])).toEqual([
      ["Martha's Rule call — Ward 3", { body: 'Case #1042', tag: 'clarion-case-c1', requireInteraction: true, silent: false }],
      ['Respond-by soon', { body: 'Case #7', tag: 'clarion-case-c2', requireInteraction: false, silent: false }],
    ]);
  });

  it('reports blocked notifications and missing support as errors, not silence', async () => {
    const blocked = createPlatform(undefined, browser({ Notification: notificationApi('default', 'denied').Notification }).environment);
    expect(await blocked.notify(martha)).toMatchObject({ ok: false, error: { code: 'declined' } });
    const none = createPlatform(undefined, browser().environment);
    expect(await none.notify(martha)).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });

  it('refuses an invalid alert before touching the Notification API', async () => {
    const api = notificationApi('granted');
    const platform = createPlatform(undefined, browser({ Notification: api.Notification }).environment);
    expect(await platform.notify({ ...martha, body: 'x'.repeat(500) })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(api.shown).toEqual([]);
  });

  it('focuses the window and tells the desk which case was clicked', async () => {
    const api = notificationApi('granted');
    const { environment, focused } = browser({ Notification: api.Notification });
    const platform = createPlatform(undefined, environment);
    const opened: string[] = [];
    const stop = platform.onFocusCase((caseId) => opened.push(caseId));
    await platform.notify(martha);
    api.shown[0]!.click();
    expect(opened).toEqual(['c1']);
    expect(focused).toEqual([1]);
    expect(api.shown[0]!.closed).toBe(true);
    stop();
    await platform.notify(martha);
    api.shown[1]!.click();
    expect(opened).toEqual(['c1']);
  });

  it('replaces an earlier alert for the same case and clears all alerts when nothing is unacknowledged', async () => {
    const api = notificationApi('granted');
    const platform = createPlatform(undefined, browser({ Notification: api.Notification }).environment);
    await platform.notify(martha);
    await platform.notify({ ...martha, body: 'Case #1042 — new message' });
    expect(api.shown[0]!.closed).toBe(true);
    await platform.notify(warning);
    await platform.setBadge(0);
    expect(api.shown.every((shown) => shown.closed)).toBe(true);
  });

  it('withdraws the notification of an alert that is over, not a newer one for the case, and ignores what is gone', async () => {
    const api = notificationApi('granted');
    const platform = createPlatform(undefined, browser({ Notification: api.Notification }).environment);
    await platform.notify({ ...martha, key: 'martha:c1' });
    await platform.notify({ ...warning, key: '5:warning:c2' });
    expect(await platform.withdraw('martha:c1')).toEqual({ ok: true, value: null });
    expect(api.shown.map((shown) => shown.closed)).toEqual([true, false]);

    // Replaced by a newer alert for its case: withdrawing the older one leaves the newer up.
    await platform.notify({ ...warning, key: '9:escalated:c2', title: 'Escalated to you — case #7' });
    expect(await platform.withdraw('5:warning:c2')).toEqual({ ok: true, value: null });
    expect(api.shown[2]!.closed).toBe(false);

    // Clicked already, withdrawn twice, never shown: nothing more happens.
    api.shown[2]!.click();
    expect(await platform.withdraw('9:escalated:c2')).toEqual({ ok: true, value: null });
    expect(await platform.withdraw('martha:c1')).toEqual({ ok: true, value: null });
    expect(await platform.withdraw('never-shown')).toEqual({ ok: true, value: null });
    expect(api.shown.map((shown) => shown.closeCalls)).toEqual([1, 1, 1]);
    expect(await platform.withdraw('')).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });

  it('badges the page title', async () => {
    const { environment } = browser({ document: { title: '(4) Clarion' } });
    const platform = createPlatform(undefined, environment);
    await platform.setBadge(3);
    expect(environment.document.title).toBe('(3) Clarion');
    await platform.setBadge(150);
    expect(environment.document.title).toBe('(99+) Clarion');
    await platform.setBadge(0);
    expect(environment.document.title).toBe('Clarion');
    expect(await platform.setBadge(-2)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(environment.document.title).toBe('Clarion');
  });

  it('keeps settings in storage, with the page origin as the hub', async () => {
    const storage = new MemoryStorage();
    const platform = createPlatform(undefined, browser({ storage }).environment);
    expect(await platform.getSettings()).toEqual({
      ok: true,
      value: { hubUrl: 'http://127.0.0.1:4610', startAtLogin: false, kiosk: false, alertWindowOnTop: false },
    });
    expect(await platform.setSettings({ kiosk: true })).toMatchObject({ ok: true, value: { kiosk: true } });
    expect(JSON.parse(storage.getItem(SETTINGS_STORAGE_KEY) ?? 'null')).toEqual({ startAtLogin: false, kiosk: true, alertWindowOnTop: false });
    const again = createPlatform(undefined, browser({ storage }).environment);
    expect(await again.getSettings()).toMatchObject({ ok: true, value: { kiosk: true } });
  });

  it('cannot switch hubs and ignores damaged stored settings', async () => {
    const storage = new MemoryStorage();
    storage.setItem(SETTINGS_STORAGE_KEY, '{not json');
    const platform = createPlatform(undefined, browser({ storage }).environment);
    expect(await platform.setSettings({ hubUrl: 'https://other.trust.nhs.uk' })).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    expect(await platform.getSettings()).toMatchObject({ ok: true, value: { kiosk: false } });
    storage.setItem(SETTINGS_STORAGE_KEY, JSON.stringify({ kiosk: 'yes' }));
    expect(await platform.getSettings()).toMatchObject({ ok: true, value: { kiosk: false } });
  });
});
