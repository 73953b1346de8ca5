// The preload against main's real bridge router, with Electron's two IPC objects replaced by a
// pipe between them: what the page can call, what reaches main, and what comes back.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BridgeChannel, type BridgeResult, type ClarionBridge, type DesktopSettings, type DesktopSettingsPatch } from '../shared/bridge';
import { createBridgeRouter, type BridgeServices } from './bridge-router';

const hubOrigin = 'http://127.0.0.1:4610';
const received: [string, unknown][] = [];
const invoked: [string, unknown][] = [];
const exposed = new Map<string, unknown>();
const focusListeners = new Set<(event: { sender: string }, caseId: unknown) => void>();
let answerOverride: ((channel: string) => unknown) | null = null;

const services: BridgeServices = {
  notify: (alert) => void received.push(['notify', alert]),
  withdraw: (key) => void received.push(['withdraw', key]),
  setBadge: (count) => void received.push(['setBadge', count]),
  setConnection: (state) => void received.push(['setConnection', state]),
  flash: () => void received.push(['flash', null]),
  getSettings: () => ({ hubUrl: hubOrigin, startAtLogin: false, kiosk: false, alertWindowOnTop: false }),
  setSettings: async (patch: DesktopSettingsPatch): Promise<BridgeResult<DesktopSettings>> => ({
    ok: true,
    value: { hubUrl: hubOrigin, startAtLogin: false, kiosk: false, alertWindowOnTop: false, ...patch },
  }),
};
const route = createBridgeRouter(services, () => ({ hubOrigin, deskWebContentsId: 1 }), () => undefined);
const deskSender = { webContentsId: 1, frame: { url: `${hubOrigin}/`, isMainFrame: true } };

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api),
  },
  ipcRenderer: {
    invoke: async (channel: string, argument: unknown) => {
      invoked.push([channel, argument]);
      if (answerOverride !== null) return answerOverride(channel);
      return route(channel, deskSender, argument);
    },
    on: (channel: string, listener: (event: { sender: string }, caseId: unknown) => void) => {
      if (channel === BridgeChannel.focusCase) focusListeners.add(listener);
    },
    removeListener: (channel: string, listener: (event: { sender: string }, caseId: unknown) => void) => {
      if (channel === BridgeChannel.focusCase) focusListeners.delete(listener);
    },
  },
}));

let bridge: ClarionBridge;
beforeAll(async () => {
  await import('./preload');
  bridge = exposed.get('clarion') as ClarionBridge;
});

function reset(): void {
  received.length = 0;
  invoked.length = 0;
  answerOverride = null;
}

describe('preload', () => {
  it('exposes exactly one object, window.clarion', () => {
    expect([...exposed.keys()]).toEqual(['clarion']);
    expect(Object.keys(bridge).sort()).toEqual(['flash', 'getSettings', 'notify', 'onFocusCase', 'setBadge', 'setConnection', 'setSettings', 'withdraw']);
  });

  it('carries a withdrawal through to main by the key its alert was shown with, and refuses a bad key before sending', async () => {
    reset();
    const alert = { caseId: 'c1', key: '12:escalated:c1', kind: 'escalated', title: 'Escalated to you — case #9', body: 'Case #9', urgent: true } as const;
    expect(await bridge.notify(alert)).toEqual({ ok: true, value: null });
    expect(await bridge.withdraw('12:escalated:c1')).toEqual({ ok: true, value: null });
    expect(received).toEqual([
      ['notify', alert],
      ['withdraw', '12:escalated:c1'],
    ]);
    invoked.length = 0;
    for (const bad of ['', 'k'.repeat(201), 12, null, { key: 'x' }]) {
      expect(await bridge.withdraw(bad as unknown as string)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    }
    expect(invoked).toEqual([]);
  });

  it('carries a valid call through to main and its answer back', async () => {
    reset();
    const alert = { caseId: 'c1', kind: 'breach', title: 'Acknowledge-by passed', body: 'Case #9', urgent: false } as const;
    expect(await bridge.notify(alert)).toEqual({ ok: true, value: null });
    expect(await bridge.getSettings()).toMatchObject({ ok: true, value: { hubUrl: hubOrigin } });
    expect(received).toEqual([['notify', alert]]);
  });

  it('does not send an invalid argument at all', async () => {
    reset();
    const result = await bridge.setBadge(Number.NaN);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(invoked).toEqual([]);
  });

  it('sends the parsed value, not what the page passed', async () => {
    reset();
    await bridge.setSettings({ hubUrl: 'https://clarion.trust.nhs.uk/desk?next=/x' });
    expect(invoked).toEqual([[BridgeChannel.setSettings, { hubUrl: 'https://clarion.trust.nhs.uk' }]]);
  });

  it('turns a malformed or failed answer from main into a failed result', async () => {
    reset();
    answerOverride = () => ({ ok: true, value: { hubUrl: 'file:///' } });
    expect(await bridge.getSettings()).toMatchObject({ ok: false, error: { code: 'failed' } });
    answerOverride = () => {
      throw new Error('main went away');
    };
    expect(await bridge.flash()).toMatchObject({ ok: false, error: { code: 'failed' } });
  });

  it('passes only a valid case id to focus-case listeners, never the IPC event', () => {
    const seen: unknown[][] = [];
    const stop = bridge.onFocusCase((...args: unknown[]) => seen.push(args));
    for (const listener of focusListeners) {
      listener({ sender: 'ipcRenderer' }, 'case-7');
      listener({ sender: 'ipcRenderer' }, { toString: () => 'x' });
    }
    expect(seen).toEqual([['case-7']]);
    stop();
    expect(focusListeners.size).toBe(0);
    expect(() => bridge.onFocusCase('not a function' as unknown as (caseId: string) => void)).toThrow(TypeError);
  });
});
