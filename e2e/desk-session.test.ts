// Where the desk keeps its sign-in, in real Chromium against a real hub (H14). Ward PCs are shared: the token must live
// in the tab's sessionStorage, so a reload keeps the nurse signed in but another tab, or the next person at the PC after
// the window is closed, starts at the login screen; nothing of it may be left in localStorage or a cookie.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTINGS_STORAGE_KEY } from '../renderer/src/platform/desktop-bridge';
import type { Desk } from './support/browser';
import { markPage, pageMark } from './support/desk-page';
import { endDeskTest, openDeskAs, startDeskTest } from './support/desk-test';
import { STAFF, type TestHub } from './support/hub';

let hub: TestHub;
let browser: Browser;
let sam: Desk | undefined;

beforeAll(async () => {
  ({ hub, browser } = await startDeskTest([STAFF.sam]));
  sam = await openDeskAs(browser, hub, STAFF.sam);
});

afterAll(() => endDeskTest(hub, browser, [sam]));

/** Every entry of one of the page's Web Storage areas, as [key, value]. */
function storageEntries(page: Page, area: 'localStorage' | 'sessionStorage'): Promise<[string, string][]> {
  return page.evaluate((name) => {
    const storage = window[name];
    const entries: [string, string][] = [];
    for (let index = 0; index < storage.length; index += 1) {
      const key = storage.key(index);
      if (key !== null) entries.push([key, storage.getItem(key) ?? '']);
    }
    return entries;
  }, area);
}

/** The live inbox and no login form: signed in. */
async function expectSignedIn(page: Page): Promise<void> {
  await page.locator('[data-connection="live"]').waitFor();
  expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
}

describe('the desk token, on a shared ward PC', () => {
  it('survives a reload of its tab, is not in another tab, and leaves nothing in localStorage or cookies', async () => {
    if (sam === undefined) throw new Error('no desk');
    const { page, context } = sam;
    await expectSignedIn(page);
    const session = await storageEntries(page, 'sessionStorage');
    const token = session.flatMap(([, value]) => {
      const parsed: unknown = JSON.parse(value);
      return typeof parsed === 'object' && parsed !== null && 'token' in parsed && typeof parsed.token === 'string' ? [parsed.token] : [];
    });
    // Exactly one token, in the tab's own storage: the rest of the test looks for it everywhere else.
    expect(token).toHaveLength(1);
    const [signedInToken] = token as [string];
    expect(signedInToken.length).toBeGreaterThan(0);

    // A reload (F5, or the desk recovering) keeps the nurse signed in, without a second login.
    await markPage(page);
    await page.reload();
    expect(await pageMark(page)).toBeNull();
    await expectSignedIn(page);

    // A second tab in the same browser profile, as the next person at the PC would open, starts at the login screen.
    const other = await context.newPage();
    try {
      await other.goto(hub.url);
      // Whichever screen the tab settles on first, so a signed-in tab fails here at once rather than by timing out.
      const signIn = other.getByRole('button', { name: 'Sign in' });
      await signIn.or(other.locator('[data-connection]')).first().waitFor();
      expect(await other.locator('[data-connection]').count()).toBe(0);
      expect(await signIn.count()).toBe(1);
      expect(await storageEntries(other, 'sessionStorage')).toEqual([]);
    } finally {
      await other.close();
    }

    // Nothing of the token in storage the whole profile shares. Desktop settings are the one thing localStorage may hold.
    const local = await storageEntries(page, 'localStorage');
    expect(local.map(([key]) => key).filter((key) => key !== SETTINGS_STORAGE_KEY)).toEqual([]);
    expect(local.filter(([key, value]) => key.includes(signedInToken) || value.includes(signedInToken))).toEqual([]);
    const cookies = await context.cookies();
    expect(cookies.filter((cookie) => cookie.value.includes(signedInToken))).toEqual([]);
  });
});
