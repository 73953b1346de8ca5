// Real headless Chromium for the desk tests and the benchmark.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from './renderer-build';

export const SCREENSHOT_DIR = join(REPO_ROOT, 'e2e', 'screenshots');

export function chromiumPath(): string {
  for (const candidate of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  throw new Error('Chromium not found: apt-get install -y chromium, or set CHROMIUM_PATH');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    // Autoplay allowed so the alert beep can start in a test without a real user gesture.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--autoplay-policy=no-user-gesture-required'],
  });
}

export interface Desk {
  context: BrowserContext;
  page: Page;
  /** Console errors and page crashes seen so far; a test can assert there were none. */
  errors: string[];
}

/** The desk's errors other than a dropped WebSocket, which Chromium logs when the hub restarts or goes away and the desk reconnects from by design. */
export function unexpectedErrors(desk: Desk): string[] {
  return desk.errors.filter((error) => !error.includes('WebSocket'));
}

/** A fresh browser profile (its own sessionStorage), signed in and showing a live inbox. */
export async function openDesk(browser: Browser, url: string, username: string, password: string): Promise<Desk> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // MobX reports a mutation outside an action as a warning; the desk treats that as a defect too.
    if (message.type() === 'error' || message.text().includes('[MobX]')) errors.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-connection="live"]').waitFor();
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
