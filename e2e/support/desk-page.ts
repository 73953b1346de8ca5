// Finding a case on a desk's page, and waiting for text the desk updates live.
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** A case's row in the inbox list. */
export const caseRow = (page: Page, caseId: string): Locator => page.locator(`[role="option"][data-case-id="${caseId}"]`);

/** The open case's panel; with `caseId`, only while that case is the one open. */
export const casePanel = (page: Page, caseId?: string): Locator =>
  page.locator(caseId === undefined ? 'section.case-panel[data-case-id]' : `section.case-panel[data-case-id="${caseId}"]`);

/** Waits for the first match's trimmed text to be `expected`; on timeout fails showing the text it last had. */
export async function expectText(locator: Locator, expected: string | RegExp): Promise<void> {
  await locator.first().waitFor();
  const deadline = Date.now() + 10_000;
  let actual = '';
  while (Date.now() < deadline) {
    actual = (await locator.first().innerText()).trim();
    if (typeof expected === 'string' ? actual === expected : expected.test(actual)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(actual).toEqual(expected);
}
