// Connection honesty against a real hub: never "live" unless connected and caught up; "stale" (with the
// out-of-date warning) once disconnected past the threshold; live again after the hub comes back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STAFF, TestHub } from '../../../e2e/support/hub';
import { createDeskStore, DeskPool, MemoryStorage, signedInDesk, until } from '../../../e2e/support/store-harness';
import type { ConnectionState } from './connection-store';

let hub: TestHub;
const desks = new DeskPool();

beforeEach(async () => {
  hub = await TestHub.start();
  await hub.addUser(STAFF.sam);
});

afterEach(async () => {
  desks.disposeAll();
  await hub.stop();
});

describe('ConnectionStore against a real hub', () => {
  it('goes offline → connecting → live, never live before its bootstrap is applied', async () => {
    const store = createDeskStore(hub.url);
    desks.add(store);
    expect(store.connection.state).toBe('offline');
    const seen: ConnectionState[] = [];
    const held = hub.holdNext('bootstrap');
    const loggedIn = store.session.login(STAFF.sam.username, STAFF.sam.password);
    await held.reached;
    seen.push(store.connection.state);
    expect(store.sync.bootstrapped).toBe(false);
    expect(store.connection.state).not.toBe('live');
    held.release();
    await loggedIn;
    await until(() => store.connection.state === 'live', 'live');
    expect(seen).toEqual(['syncing']);
    expect(store.connection.mayBeOutOfDate).toBe(false);
  });

  it('says stale and may-be-out-of-date while the hub is down, and recovers when it returns', async () => {
    // A zero threshold makes "stale" immediate, so the test needs no waiting on a clock.
    const store = await signedInDesk(hub.url, STAFF.sam.username, STAFF.sam.password, { staleAfterMs: 0 });
    desks.add(store);
    await hub.restart(async () => {
      await until(() => store.connection.state === 'stale', 'stale while the hub is down');
      expect(store.connection.mayBeOutOfDate).toBe(true);
    });
    await until(() => store.connection.state === 'live', 'live after restart');
    expect(store.connection.mayBeOutOfDate).toBe(false);
    expect(store.session.signedIn).toBe(true);
  });

  it('signs the user out, with a reason, when the hub refuses the token', async () => {
    // A tab restoring a session the hub no longer knows (revoked, or issued by another hub's data).
    const storage = new MemoryStorage();
    const signedIn = await signedInDesk(hub.url, STAFF.sam.username, STAFF.sam.password);
    desks.add(signedIn);
    const user = signedIn.session.user;
    storage.setItem('clarion.session', JSON.stringify({ token: 'a-token-this-hub-never-issued', expiresAt: Date.now() + 3_600_000, user }));
    const store = createDeskStore(hub.url, { storage });
    desks.add(store);
    expect(store.session.restore()).toBe(true);
    await until(() => !store.session.signedIn, 'signed out');
    expect(store.session.loginError).toBe('Your session has ended. Please sign in again.');
    expect(storage.getItem('clarion.session')).toBeNull();
    expect(store.connection.state).toBe('offline');
  });
});
