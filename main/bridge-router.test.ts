import { describe, expect, it } from 'vitest';
import { BridgeChannel, type BridgeResult, type DesktopSettings, type DesktopSettingsPatch } from '../shared/bridge';
import { createBridgeRouter, INVOKE_CHANNELS, type BridgeServices } from './bridge-router';
import type { IpcSender } from './ipc-sender';

const hubOrigin = 'http://127.0.0.1:4610';
const desk: IpcSender = { webContentsId: 1, frame: { url: `${hubOrigin}/`, isMainFrame: true } };
const alert = { caseId: 'c1', kind: 'martha', title: "Martha's Rule call", body: 'Ward 3', urgent: true } as const;

/** Services that keep what they were asked to do, so each test can see what reached them. */
class RecordingServices implements BridgeServices {
  readonly calls: [string, unknown][] = [];
  settings: DesktopSettings = { hubUrl: hubOrigin, startAtLogin: false, kiosk: false, alertWindowOnTop: false };
  failNotify = false;
  notify(value: unknown): void {
    if (this.failNotify) throw new Error('notification service down');
    this.calls.push(['notify', value]);
  }
  withdraw(key: string): void {
    this.calls.push(['withdraw', key]);
  }
  setBadge(count: number): void {
    this.calls.push(['setBadge', count]);
  }
  setConnection(state: string): void {
    this.calls.push(['setConnection', state]);
  }
  flash(): void {
    this.calls.push(['flash', null]);
  }
  getSettings(): DesktopSettings {
    return this.settings;
  }
  async setSettings(patch: DesktopSettingsPatch): Promise<BridgeResult<DesktopSettings>> {
    this.calls.push(['setSettings', patch]);
    this.settings = { ...this.settings, ...patch };
    return { ok: true, value: this.settings };
  }
}

function setUp() {
  const services = new RecordingServices();
  const logs: string[] = [];
  const route = createBridgeRouter(services, () => ({ hubOrigin, deskWebContentsId: 1 }), (line) => logs.push(line));
  return { services, logs, route };
}

describe('bridge router', () => {
  it('passes a valid alert from the desk to the notification service', async () => {
    const { services, route } = setUp();
    expect(await route(BridgeChannel.notify, desk, alert)).toEqual({ ok: true, value: null });
    expect(services.calls).toEqual([['notify', alert]]);
  });

  it('passes a withdrawal from the desk to the notification service by its key', async () => {
    const { services, route } = setUp();
    expect(await route(BridgeChannel.notify, desk, { ...alert, key: 'martha:c1' })).toEqual({ ok: true, value: null });
    expect(await route(BridgeChannel.withdraw, desk, 'martha:c1')).toEqual({ ok: true, value: null });
    expect(services.calls).toEqual([
      ['notify', { ...alert, key: 'martha:c1' }],
      ['withdraw', 'martha:c1'],
    ]);
  });

  it.each([
    [BridgeChannel.withdraw, null],
    [BridgeChannel.withdraw, ''],
    [BridgeChannel.withdraw, 7],
    [BridgeChannel.withdraw, 'k'.repeat(201)],
    [BridgeChannel.withdraw, { key: 'martha:c1' }],
    [BridgeChannel.withdraw, ['martha:c1']],
    [BridgeChannel.notify, { ...alert, key: '' }],
    [BridgeChannel.notify, { ...alert, key: 42 }],
  ])('refuses a bad alert key on %s with the schema’s reason, without calling the service', async (channel, argument) => {
    const { services, route } = setUp();
    const result = await route(channel, desk, argument);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'invalid', message: expect.not.stringMatching(/unknown channel/) });
    expect(services.calls).toEqual([]);
    // The same channel takes a good key.
    expect(await route(channel, desk, channel === BridgeChannel.withdraw ? 'martha:c1' : { ...alert, key: 'martha:c1' })).toEqual({ ok: true, value: null });
  });

  it('answers each channel with what its service returns', async () => {
    const { services, route } = setUp();
    await route(BridgeChannel.setBadge, desk, 4);
    await route(BridgeChannel.setConnection, desk, 'stale');
    await route(BridgeChannel.flash, desk, null);
    expect(await route(BridgeChannel.getSettings, desk, null)).toEqual({ ok: true, value: services.settings });
    expect(await route(BridgeChannel.setSettings, desk, { kiosk: true })).toMatchObject({ ok: true, value: { kiosk: true } });
    expect(services.calls).toEqual([
      ['setBadge', 4],
      ['setConnection', 'stale'],
      ['flash', null],
      ['setSettings', { kiosk: true }],
    ]);
  });

  it.each([
    [BridgeChannel.notify, { ...alert, kind: 'shell' }],
    [BridgeChannel.notify, { ...alert, onclick: 'require("child_process")' }],
    [BridgeChannel.setBadge, -1],
    [BridgeChannel.setBadge, '5'],
    [BridgeChannel.setConnection, 'online'],
    [BridgeChannel.flash, { times: 1000 }],
    [BridgeChannel.setSettings, { hubUrl: 'http://evil.example' }],
    [BridgeChannel.setSettings, { updates: { enabled: true, feedUrl: 'https://evil.example' } }],
  ])('refuses a bad argument on %s without calling the service', async (channel, argument) => {
    const { services, route } = setUp();
    const result = await route(channel, desk, argument);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid');
    expect(services.calls).toEqual([]);
  });

  it('refuses an untrusted sender before looking at the argument, and logs no payload', async () => {
    const { services, logs, route } = setUp();
    const evil: IpcSender = { webContentsId: 1, frame: { url: 'https://evil.example/', isMainFrame: true } };
    const result = await route(BridgeChannel.notify, evil, { ...alert, body: 'patient words' });
    expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: 'this page may not use the desktop bridge' } });
    expect(services.calls).toEqual([]);
    expect(logs).toEqual(['[bridge] refused clarion:notify: frame is not on the hub origin']);
  });

  it('refuses channels it does not know, so nothing passes through generically', async () => {
    const { route } = setUp();
    expect(await route('clarion:exec', desk, 'rm -rf /')).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(INVOKE_CHANNELS).not.toContain(BridgeChannel.focusCase);
  });

  it('turns a failing service into a failed result and a log line', async () => {
    const { services, logs, route } = setUp();
    services.failNotify = true;
    expect(await route(BridgeChannel.notify, desk, alert)).toEqual({ ok: false, error: { code: 'failed', message: 'clarion:notify failed' } });
    expect(logs).toEqual(['[bridge] clarion:notify failed: notification service down']);
  });
});
