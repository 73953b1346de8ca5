// The shell's settings file, `userData/settings.json`. An IT team may edit it by hand or push it
// with desktop management, so it is parsed with one schema, and a bad file is reported, kept aside
// for diagnosis and replaced by defaults rather than stopping the app.
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  DEFAULT_HUB_URL,
  HubUrlSchema,
  type DesktopSettings,
  type DesktopSettingsPatch,
} from '../shared/bridge';
import { describeError, readJsonFile, writeJsonFileAtomically } from './json-file';

export const SETTINGS_FILE_NAME = 'settings.json';

/** An update feed is code the app will run, so it must arrive over TLS. */
const UpdateFeedUrlSchema = z
  .url()
  .refine((text) => new URL(text).protocol === 'https:', 'the update server must use https');

// Unknown keys are dropped, not refused: a file written by a newer version must not make an older
// one throw the whole file away after a downgrade.
export const SettingsFileSchema = z.object({
  hubUrl: HubUrlSchema.default(DEFAULT_HUB_URL),
  startAtLogin: z.boolean().default(false),
  kiosk: z.boolean().default(false),
  alertWindowOnTop: z.boolean().default(false),
  /** Off by default: a trust decides when its desks update, from its own generic update server. */
  updates: z
    .object({
      enabled: z.boolean().default(false),
      feedUrl: UpdateFeedUrlSchema.nullable().default(null),
    })
    .default({ enabled: false, feedUrl: null }),
});
export type Settings = z.output<typeof SettingsFileSchema>;

export function defaultSettings(): Settings {
  return SettingsFileSchema.parse({});
}

export interface SettingsLoad {
  settings: Settings;
  /** Set when the file was bad; say it to the user once, it explains why their preferences reset. */
  problem: string | null;
}

export function loadSettings(directory: string): SettingsLoad {
  const path = join(directory, SETTINGS_FILE_NAME);
  const read = readJsonFile(path);
  if (read.kind === 'missing') return { settings: defaultSettings(), problem: null };
  let problem: string;
  if (read.kind === 'parsed') {
    const parsed = SettingsFileSchema.safeParse(read.value);
    if (parsed.success) return { settings: parsed.data, problem: null };
    problem = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`).join('; ');
  } else {
    problem = read.reason;
  }
  return { settings: replaceBadFile(directory, path), problem: `${path} was not valid and defaults are in use: ${problem}` };
}

/** Moves the bad file aside (the last one only: it is for diagnosis, not history) and writes defaults. */
function replaceBadFile(directory: string, path: string): Settings {
  const settings = defaultSettings();
  try {
    renameSync(path, join(directory, `${SETTINGS_FILE_NAME}.invalid`));
    writeJsonFileAtomically(path, settings);
  } catch (error) {
    // A read-only profile still gets a working app with defaults; the caller reports the problem.
    console.error(`[settings] could not replace ${path}: ${describeError(error)}`);
  }
  return settings;
}

export function saveSettings(directory: string, settings: Settings): void {
  writeJsonFileAtomically(join(directory, SETTINGS_FILE_NAME), settings);
}

export function applySettingsPatch(settings: Settings, patch: DesktopSettingsPatch): Settings {
  return { ...settings, ...patch };
}

/** The part the renderer may see: everything except the update server. */
export function desktopSettingsView(settings: Settings): DesktopSettings {
  return {
    hubUrl: settings.hubUrl,
    startAtLogin: settings.startAtLogin,
    kiosk: settings.kiosk,
    alertWindowOnTop: settings.alertWindowOnTop,
  };
}

/**
 * The hub to open: `CLARION_HUB_URL` (set by `npm start` for the hub it just started) wins over the
 * file for this run only, and is never written back.
 */
export function resolveHubOrigin(settings: Settings, environment: Readonly<Record<string, string | undefined>>): { hubOrigin: string; problem: string | null } {
  const fromEnvironment = environment['CLARION_HUB_URL'];
  if (fromEnvironment === undefined || fromEnvironment === '') return { hubOrigin: settings.hubUrl, problem: null };
  const parsed = HubUrlSchema.safeParse(fromEnvironment);
  if (parsed.success) return { hubOrigin: parsed.data, problem: null };
  return {
    hubOrigin: settings.hubUrl,
    problem: `CLARION_HUB_URL ignored (${parsed.error.issues[0]?.message ?? 'invalid'}); using ${settings.hubUrl}`,
  };
}
