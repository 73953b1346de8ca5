// The packaged shape of the desk: the real Electron binary running dist/main/main.cjs against a
// real hub. Where the binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD=1, as in the build
// sandbox) the suite is skipped and says so in one line; the shell's logic is covered without
// Electron by main/**/*.test.ts, and its types by `tsc -p main/tsconfig.json`.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLARION_BRIDGE_METHODS, type BridgeResult, type ClarionBridge, type DesktopAlert } from '../shared/bridge';
import { buildMain, MAIN_OUTPUT } from '../main/build.mjs';
import { findElectronBinary } from '../scripts/open-desk.js';

const electron = findElectronBinary();
if (!electron.available) {
  console.warn(`[e2e/electron] SKIPPED: the Electron binary is not installed here (${electron.reason}). Run on a machine with it: npx vitest run --project e2e e2e/electron.test.ts`);
}

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
const MARTHA_LINE = '+447700900111';
const nurse = { username: 'sam', password: 'correct horse battery', displayName: 'Sam Patel', role: 'outreach' as const, wards: [] };

/** What the test adds to the page and to the main process so it can see what happened. */
type DeskGlobals = typeof globalThis & { clarion: ClarionBridge; focusedCases: string[] };
interface RecordedNotification {
  title: string;
  body: string;
  urgency: string;
  timeoutType: string;
}
type MainGlobals = typeof globalThis & {
  shownNotifications: RecordedNotification[];
  lastNotification: { emit(event: 'click'): void } | null;
  dialogMessages: string[];
};

type Hub = { url: string; close(): Promise<void>; addUser(staff: typeof nurse): Promise<unknown>; receive(message: unknown): Promise<unknown> };

describe.skipIf(!electron.available)('the Clarion desktop app', () => {
  let hub: Hub;
  let application: ElectronApplication;
  let page: Page;
  const dataDirectory = mkdtempSync(join(tmpdir(), 'clarion-electron-hub-'));
  const userDataDirectory = mkdtempSync(join(tmpdir(), 'clarion-electron-profile-'));

  beforeAll(async () => {
    if (!existsSync(join(repositoryRoot, 'dist', 'renderer', 'index.html'))) {
      const { build } = await import('vite');
      await build({ configFile: join(repositoryRoot, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
    }
    await buildMain();
    // Imported here so this file does not load the hub (and better-sqlite3) when it is skipped.
    const { createHub } = await import('../server/hub');
    hub = await createHub({ dataDir: dataDirectory, host: '127.0.0.1', port: 0, logLevel: 'warn' });
    await hub.addUser(nurse);

    if (!electron.available) throw new Error('unreachable: suite is skipped without Electron');
    application = await _electron.launch({
      executablePath: electron.path,
      // Chromium refuses its sandbox as root (containers); everywhere else the sandbox stays on.
      args: [MAIN_OUTPUT, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      env: { ...process.env, CLARION_HUB_URL: hub.url, CLARION_USER_DATA_DIR: userDataDirectory },
    });
    // Record notifications and dialogs instead of putting them on a real screen.
    await application.evaluate(({ Notification, dialog }) => {
      const globals = globalThis as MainGlobals;
      globals.shownNotifications = [];
      globals.lastNotification = null;
      globals.dialogMessages = [];
      Notification.prototype.show = function show(this: InstanceType<typeof Notification>) {
        globals.shownNotifications.push({ title: this.title, body: this.body, urgency: this.urgency, timeoutType: this.timeoutType });
        globals.lastNotification = this;
      };
      const record = async (...args: unknown[]) => {
        const options = args.find((argument): argument is { message: string } => typeof argument === 'object' && argument !== null && 'message' in argument);
        globals.dialogMessages.push(options?.message ?? '');
        return { response: 0, checkboxChecked: false };
      };
      dialog.showMessageBox = record as typeof dialog.showMessageBox;
    });
    page = await application.firstWindow();
    await page.waitForURL(`${hub.url}/**`);
  });

  afterAll(async () => {
    await application?.close();
    await hub?.close();
    rmSync(dataDirectory, { recursive: true, force: true });
    rmSync(userDataDirectory, { recursive: true, force: true });
  });

  it('loads the desk from the hub with the bridge and without Node', async () => {
    expect(new URL(page.url()).origin).toBe(hub.url);
    const globals = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      bridge: Object.keys((globalThis as { clarion?: object }).clarion ?? {}).sort(),
    }));
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', bridge: [...CLARION_BRIDGE_METHODS].sort() });
  });

  it('signs in and shows a message that arrives while it is open', async () => {
    await page.getByLabel('Username').fill(nurse.username);
    await page.getByLabel('Password').fill(nurse.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-connection="live"]').waitFor();
    const text = `My dad is much worse tonight ${randomUUID().slice(0, 8)}`;
    await hub.receive({
      provider: 'dev',
      channel: 'sms',
      providerMessageId: `electron-${randomUUID()}`,
      from: '+447700900999',
      to: MARTHA_LINE,
      receivedAt: Date.now(),
      kind: 'text',
      text,
    });
    await page.getByText(text).first().waitFor();
  });

  it('turns a bridge alert into a native notification that stays, and its click into focus-case', async () => {
    const alert: DesktopAlert = { caseId: 'case-e2e', kind: 'martha', title: "Martha's Rule call — Ward 3", body: 'Case #1', urgent: true };
    await page.evaluate(() => {
      const globals = globalThis as DeskGlobals;
      globals.focusedCases = [];
      globals.clarion.onFocusCase((caseId) => globals.focusedCases.push(caseId));
    });
    const result = await page.evaluate((value) => (globalThis as DeskGlobals).clarion.notify(value), alert);
    expect(result).toEqual({ ok: true, value: null });
    const shown = await application.evaluate(() => (globalThis as MainGlobals).shownNotifications);
    expect(shown).toContainEqual({ title: alert.title, body: alert.body, urgency: 'critical', timeoutType: 'never' });

    await application.evaluate(() => (globalThis as MainGlobals).lastNotification?.emit('click'));
    await expect.poll(() => page.evaluate(() => (globalThis as DeskGlobals).focusedCases)).toEqual(['case-e2e']);
  });

  it('refuses invalid bridge arguments in the preload and in main', async () => {
    const viaPreload: BridgeResult<null> = await page.evaluate(() => (globalThis as DeskGlobals).clarion.setBadge(-1));
    expect(viaPreload).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await page.evaluate(() => (globalThis as DeskGlobals).clarion.setBadge(2))).toEqual({ ok: true, value: null });
  });

  it('keeps the window on the hub: no new windows, no file://, external links only after a confirmation', async () => {
    await page.evaluate(() => {
      window.open('https://example.org/', '_blank');
      window.open(`${location.origin}/again`, '_blank');
    });
    await page.evaluate(() => {
      location.href = 'file:///etc/passwd';
    });
    // A round trip through main after the requests, so their handlers have run.
    await application.evaluate(() => undefined);
    expect(application.windows()).toHaveLength(1);
    expect(new URL(page.url()).origin).toBe(hub.url);
    await expect.poll(() => application.evaluate(() => (globalThis as MainGlobals).dialogMessages)).toEqual(['Open example.org in your web browser?']);
  });
});
