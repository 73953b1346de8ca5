// Finding a case on a desk's page, and waiting for text the desk updates live.
import type { Locator, Page } from 'playwright-core';
import { expect, vi } from 'vitest';

/** A case's row in the inbox list. */
export const caseRow = (page: Page, caseId: string): Locator => page.locator(`[role="option"][data-case-id="${caseId}"]`);

/** The open case's panel; with `caseId`, only while that case is the one open. */
export const casePanel = (page: Page, caseId?: string): Locator =>
  page.locator(caseId === undefined ? 'section.case-panel[data-case-id]' : `section.case-panel[data-case-id="${caseId}"]`);

/** Marks the page so a later check can tell it was never reloaded: a reload loses the mark. */
export async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => Object.assign(window, { deskMarker: 'no reload' }));
}

/** `'no reload'` while the page set by `markPage` is still the one loaded; null once it has been reloaded. */
export function pageMark(page: Page): Promise<string | null> {
  return page.evaluate(() => (window as unknown as { deskMarker?: string }).deskMarker ?? null);
}

/** Waits for the first match's trimmed text to be `expected`; on timeout fails showing the text it last had. */
export async function expectText(locator: Locator, expected: string | RegExp): Promise<void> {
  await locator.first().waitFor();
  await vi.waitFor(
    async () => {
      const actual = (await locator.first().innerText()).trim();
      if (typeof expected === 'string') expect(actual).toBe(expected);
      else expect(actual).toMatch(expected);
    },
    { timeout: 10_000, interval: 50 },
  );
}

/**
 * One of the desk's two screen-reader logs (`Announcer` in NoticeBar.tsx): polite, or urgent (assertive). Each
 * announcement is its own entry, oldest first; the connection indicator is a live region of its own, not these.
 */
export const announcer = (page: Page, urgency: 'polite' | 'urgent'): Locator => page.getByTestId(`announcer-${urgency}`);

/** The entries that log holds now, oldest first, one string per announcement. */
export async function announced(page: Page, urgency: 'polite' | 'urgent'): Promise<string[]> {
  return (await announcer(page, urgency).locator(':scope > *').allTextContents()).map((text) => text.trim());
}

/** Waits for an entry of that log to be `expected`; on timeout fails showing what the log held. */
export async function expectAnnounced(page: Page, urgency: 'polite' | 'urgent', expected: string | RegExp): Promise<void> {
  await vi.waitFor(
    async () => {
      const entries = await announced(page, urgency);
      const found = entries.some((entry) => (typeof expected === 'string' ? entry === expected : expected.test(entry)));
      expect(found, `"${String(expected)}" in ${JSON.stringify(entries)}`).toBe(true);
    },
    { timeout: 10_000, interval: 50 },
  );
}
