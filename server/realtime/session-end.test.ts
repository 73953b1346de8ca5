// A desk whose session has ended is disconnected on the hub's clock, so it no longer counts as reachable for a ladder
// step; until this, it stayed connected (and "reachable") until its next request.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { Hub } from '../hub';
import { addStaff, connectDesk, startHub, stopHub, tempDataDir, type TestDesk } from '../testing/hub-harness';

const T0 = Date.UTC(2026, 10, 28, 7, 0);
const THIRTEEN_HOURS = 13 * 60 * 60 * 1000;
let hub: Hub | undefined;
let desk: TestDesk | undefined;

afterEach(async () => {
  desk?.close();
  if (hub !== undefined) await stopHub(hub);
  hub = desk = undefined;
});

function disconnected(test: TestDesk): Promise<string> {
  return new Promise((resolve) => test.socket.once('disconnect', (reason) => resolve(String(reason))));
}

describe('a desk whose session has ended', () => {
  it('is disconnected by the hub and stops counting as reachable, while a desk in its session stays', async () => {
    const clock = new ManualClock(T0);
    hub = await startHub({ dataDir: tempDataDir(), clock, sessionSweepMs: 20 });
    await addStaff(hub, 'sam', 'outreach');
    await addStaff(hub, 'ali', 'outreach');
    desk = await connectDesk(hub, 'sam');
    const samId = desk.userId;
    expect(hub.presence.isConnected(samId)).toBe(true);

    // Ali signs in an hour later: her session ends an hour after Sam's.
    clock.advance(60 * 60 * 1000);
    const ali = await connectDesk(hub, 'ali');
    try {
      const samGone = disconnected(desk);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(desk.socket.connected).toBe(true);

      clock.set(T0 + THIRTEEN_HOURS);
      expect(await samGone).toBe('io server disconnect');
      expect(hub.presence.isConnected(samId)).toBe(false);
      expect(ali.socket.connected).toBe(true);
      expect(hub.presence.isConnected(ali.userId)).toBe(true);
    } finally {
      ali.close();
    }
  });
});
