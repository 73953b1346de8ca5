// What every desk test file starts from and ends with: a real hub with staff, headless Chromium, signed-in desks.
import type { Browser } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium, openDesk, unexpectedErrors, type Desk } from './browser';
import { STAFF, TestHub, type StaffMember, type TestHubOptions } from './hub';
import { ensureRendererBuilt } from './renderer-build';

export async function startDeskTest(
  staff: readonly StaffMember[] = Object.values(STAFF),
  hubOptions: TestHubOptions = {},
): Promise<{ hub: TestHub; browser: Browser }> {
  await ensureRendererBuilt();
  const hub = await TestHub.start(undefined, hubOptions);
  try {
    for (const member of staff) await hub.addUser(member);
    return { hub, browser: await launchChromium() };
  } catch (error) {
    // The caller never gets the hub to stop when this throws.
    await hub.stop();
    throw error;
  }
}

export function openDeskAs(browser: Browser, hub: TestHub, member: StaffMember): Promise<Desk> {
  return openDesk(browser, hub.url, member.username, member.password);
}

/**
 * Closes the desks, Chromium and the hub, then fails if any of `checked` saw an unexpected error.
 * Everything is closed before asserting so that one failing desk leaks no browser or hub.
 * A desk left undefined by a failed beforeAll fails here too, rather than passing unchecked.
 */
export async function endDeskTest(hub: TestHub | undefined, browser: Browser | undefined, checked: readonly (Desk | undefined)[]): Promise<void> {
  const seen: (string[] | undefined)[] = [];
  try {
    for (const desk of checked) {
      seen.push(desk && unexpectedErrors(desk));
      await desk?.context.close();
    }
    await browser?.close();
  } finally {
    await hub?.stop();
  }
  for (const errors of seen) expect(errors).toEqual([]);
}
