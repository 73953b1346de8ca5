// stopHub's promise: every step of a test hub's teardown runs, whichever step before it throws.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Hub } from '../hub';
import { DeskSet, removeDir, stopHub, tempDataDir, type TestDesk } from './hub-harness';

/** Just what stopHub touches of a hub; `close` fails when told to. */
function hubOn(dataDir: string, closeFails = false) {
  const hub = {
    closed: 0,
    config: { dataDir },
    async close() {
      hub.closed += 1;
      if (closeFails) throw new Error('close failed');
    },
  };
  return hub;
}

function failingDesk(): TestDesk {
  return {
    close() {
      throw new Error('desk close failed');
    },
  } as unknown as TestDesk;
}

describe('stopHub', () => {
  it('closes the desks and the hub and removes the data dir', async () => {
    const dir = tempDataDir();
    const hub = hubOn(dir);
    const desks = new DeskSet(() => hub as unknown as Hub);
    let deskClosed = 0;
    desks.open.push({ close: () => (deskClosed += 1) } as unknown as TestDesk);
    await stopHub(hub as unknown as Hub, desks);
    expect([deskClosed, hub.closed, existsSync(dir), desks.open]).toEqual([1, 1, false, []]);
  });

  it('still closes the hub and removes the dir when a desk fails to close', async () => {
    const dir = tempDataDir();
    const hub = hubOn(dir);
    const desks = new DeskSet(() => hub as unknown as Hub);
    desks.open.push(failingDesk());
    try {
      await expect(stopHub(hub as unknown as Hub, desks)).rejects.toThrow('desk close failed');
      expect([hub.closed, existsSync(dir)]).toEqual([1, false]);
    } finally {
      removeDir(dir);
    }
  });

  it('still removes the dir when the hub fails to close', async () => {
    const dir = tempDataDir();
    const hub = hubOn(dir, true);
    try {
      await expect(stopHub(hub as unknown as Hub)).rejects.toThrow('close failed');
      expect(existsSync(dir)).toBe(false);
    } finally {
      removeDir(dir);
    }
  });
});
