import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applySettingsPatch,
  defaultSettings,
  desktopSettingsView,
  loadSettings,
  resolveHubOrigin,
  saveSettings,
  SETTINGS_FILE_NAME,
} from './settings';
import { updateFeed } from './update-policy';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'clarion-settings-'));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function writeSettingsText(text: string): void {
  writeFileSync(join(directory, SETTINGS_FILE_NAME), text);
}

describe('loadSettings', () => {
  it('uses the documented defaults when there is no file, without writing one', () => {
    const { settings, problem } = loadSettings(directory);
    expect(problem).toBeNull();
    expect(settings).toEqual({
      hubUrl: 'http://127.0.0.1:4610',
      startAtLogin: false,
      kiosk: false,
      alertWindowOnTop: false,
      updates: { enabled: false, feedUrl: null },
    });
    expect(existsSync(join(directory, SETTINGS_FILE_NAME))).toBe(false);
  });

  it('reads a valid file, filling missing fields with defaults and reducing the hub URL to its origin', () => {
    writeSettingsText(JSON.stringify({ hubUrl: 'https://clarion.trust.nhs.uk/desk/', kiosk: true }));
    const { settings, problem } = loadSettings(directory);
    expect(problem).toBeNull();
    expect(settings.hubUrl).toBe('https://clarion.trust.nhs.uk');
    expect(settings.kiosk).toBe(true);
    expect(settings.startAtLogin).toBe(false);
  });

  it('ignores keys written by a newer version instead of discarding the file', () => {
    writeSettingsText(JSON.stringify({ kiosk: true, someFutureSetting: 3 }));
    const { settings, problem } = loadSettings(directory);
    expect(problem).toBeNull();
    expect(settings.kiosk).toBe(true);
  });

  it.each([
    ['truncated JSON', '{"hubUrl": "http://127.0.0.1:46'],
    ['an empty file', ''],
    ['a wrong type', JSON.stringify({ kiosk: 'yes' })],
    ['plain http to a remote hub', JSON.stringify({ hubUrl: 'http://clarion.trust.nhs.uk' })],
    ['an http update server', JSON.stringify({ updates: { enabled: true, feedUrl: 'http://updates.trust.nhs.uk/' } })],
    ['JSON that is not an object', '[1,2,3]'],
  ])('reports %s, keeps the bad file aside and replaces it with defaults', (_label, text) => {
    writeSettingsText(text);
    const { settings, problem } = loadSettings(directory);
    expect(settings).toEqual(defaultSettings());
    expect(problem).toContain('defaults are in use');
    expect(readFileSync(join(directory, `${SETTINGS_FILE_NAME}.invalid`), 'utf8')).toBe(text);
    expect(JSON.parse(readFileSync(join(directory, SETTINGS_FILE_NAME), 'utf8'))).toEqual(defaultSettings());
    // The next start is clean.
    expect(loadSettings(directory).problem).toBeNull();
  });

  it('names the bad field in the problem', () => {
    writeSettingsText(JSON.stringify({ kiosk: 'yes' }));
    expect(loadSettings(directory).problem).toMatch(/kiosk: /);
  });

  it('still starts with defaults when the bad file cannot be moved aside', () => {
    // A non-empty directory where the backup should go makes the rename fail, even for root.
    mkdirSync(join(directory, `${SETTINGS_FILE_NAME}.invalid`, 'occupied'), { recursive: true });
    writeSettingsText('not json');
    const { settings, problem } = loadSettings(directory);
    expect(settings).toEqual(defaultSettings());
    expect(problem).toContain('not valid JSON');
    expect(readFileSync(join(directory, SETTINGS_FILE_NAME), 'utf8')).toBe('not json');
  });
});

describe('saveSettings', () => {
  it('round-trips through the file and creates the directory', () => {
    const nested = join(directory, 'profile');
    const settings = applySettingsPatch(defaultSettings(), { kiosk: true, alertWindowOnTop: true });
    saveSettings(nested, settings);
    expect(loadSettings(nested)).toEqual({ settings, problem: null });
  });

  it('leaves no temporary files behind', () => {
    mkdirSync(join(directory, 'x'));
    saveSettings(join(directory, 'x'), defaultSettings());
    expect(readFileSync(join(directory, 'x', SETTINGS_FILE_NAME), 'utf8')).toContain('"hubUrl"');
    expect(existsSync(join(directory, 'x', `${SETTINGS_FILE_NAME}.${process.pid}.tmp`))).toBe(false);
  });
});

describe('desktopSettingsView', () => {
  it('never shows the update server to the renderer', () => {
    const view = desktopSettingsView(defaultSettings());
    expect(Object.keys(view).sort()).toEqual(['alertWindowOnTop', 'hubUrl', 'kiosk', 'startAtLogin']);
  });
});

describe('resolveHubOrigin', () => {
  const settings = defaultSettings();

  it('prefers a valid CLARION_HUB_URL for this run', () => {
    expect(resolveHubOrigin(settings, { CLARION_HUB_URL: 'http://127.0.0.1:39201/' })).toEqual({ hubOrigin: 'http://127.0.0.1:39201', problem: null });
  });

  it('falls back to the file, with a reason, when CLARION_HUB_URL is unsafe', () => {
    const resolved = resolveHubOrigin(settings, { CLARION_HUB_URL: 'http://evil.example' });
    expect(resolved.hubOrigin).toBe('http://127.0.0.1:4610');
    expect(resolved.problem).toContain('CLARION_HUB_URL ignored');
  });

  it('uses the file when the variable is absent or empty', () => {
    expect(resolveHubOrigin(settings, {}).hubOrigin).toBe('http://127.0.0.1:4610');
    expect(resolveHubOrigin(settings, { CLARION_HUB_URL: '' }).problem).toBeNull();
  });
});

describe('updateFeed', () => {
  it('is off by default and off when enabled without a server', () => {
    expect(updateFeed(defaultSettings())).toBeNull();
    expect(updateFeed({ ...defaultSettings(), updates: { enabled: true, feedUrl: null } })).toBeNull();
    expect(updateFeed({ ...defaultSettings(), updates: { enabled: false, feedUrl: 'https://u.example/' } })).toBeNull();
  });

  it("points at the trust's own generic server when enabled", () => {
    writeSettingsText(JSON.stringify({ updates: { enabled: true, feedUrl: 'https://updates.trust.nhs.uk/clarion/' } }));
    expect(updateFeed(loadSettings(directory).settings)).toEqual({ provider: 'generic', url: 'https://updates.trust.nhs.uk/clarion/' });
  });
});
