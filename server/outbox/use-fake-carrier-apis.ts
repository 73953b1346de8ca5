// Test support: the fake carrier APIs (fake-carrier-apis.ts) for one test file — started before its tests and closed
// after them. Kept apart from the fake itself, which benches use outside a test runner.
import { afterAll, beforeAll } from 'vitest';
import { startFakeCarrierApis, type FakeCarrierApis } from './fake-carrier-apis';

/** The file's fake carrier APIs; use them inside tests and hooks, not at import time. */
export function useFakeCarrierApis(): FakeCarrierApis {
  let started: FakeCarrierApis | undefined;
  const current = (): FakeCarrierApis => {
    if (started === undefined) throw new Error('the fake carrier APIs start before the tests: use them inside a test or a hook');
    return started;
  };
  beforeAll(async () => {
    started = await startFakeCarrierApis();
  });
  afterAll(async () => {
    await started?.close();
  });
  return {
    get baseUrl() {
      return current().baseUrl;
    },
    get calls() {
      return current().calls;
    },
    override: (route) => current().override(route),
    callsTo: (pattern, method) => current().callsTo(pattern, method),
    reset: () => current().reset(),
    close: () => current().close(),
  };
}
