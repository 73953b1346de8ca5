// scripts/open-desk.js against a stand-in Electron binary: electron's own index.js honours
// ELECTRON_OVERRIDE_DIST_PATH, so a small script placed there is what `require('electron')` names.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const distDirectory = mkdtempSync(join(tmpdir(), 'clarion-fake-electron-'));
const record = join(distDirectory, 'record.json');
const nodeRequire = createRequire(import.meta.url);

/** electron/index.js computes the path once when first required; each test needs it recomputed. */
function useElectronDist(directory: string): void {
  vi.stubEnv('ELECTRON_OVERRIDE_DIST_PATH', directory);
  delete nodeRequire.cache[nodeRequire.resolve('electron')];
  vi.resetModules();
}

beforeAll(() => {
  // Records how it was started, as the real binary would be: argv and the hub URL from the environment.
  writeFileSync(
    join(distDirectory, 'electron'),
    `#!${process.execPath}\nrequire('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({ argv: process.argv.slice(2), hub: process.env.CLARION_HUB_URL }));\n`,
  );
  chmodSync(join(distDirectory, 'electron'), 0o755);
});
afterAll(() => rmSync(distDirectory, { recursive: true, force: true }));

describe('openDesk', () => {
  it('prints the browser address and the reason when the binary is missing', async () => {
    useElectronDist(join(distDirectory, 'missing'));
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((line: string) => lines.push(line));
    const { openDesk, findElectronBinary } = await import('../scripts/open-desk.js');
    expect(findElectronBinary()).toMatchObject({ available: false });
    expect(await openDesk('http://127.0.0.1:4610')).toBeNull();
    spy.mockRestore();
    vi.unstubAllEnvs();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Desk: open http:\/\/127\.0\.0\.1:4610 in a browser \(Electron binary not installed: .*missing.* does not exist\)$/);
  });

  it('starts Electron on the built main with the hub URL in CLARION_HUB_URL', async () => {
    useElectronDist(distDirectory);
    const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { openDesk, findElectronBinary } = await import('../scripts/open-desk.js');
    expect(findElectronBinary()).toEqual({ available: true, path: join(distDirectory, 'electron') });
    const child = await openDesk('http://127.0.0.1:39999');
    spy.mockRestore();
    vi.unstubAllEnvs();
    expect(child).not.toBeNull();
    const [code] = (await once(child!, 'exit')) as [number];
    expect(code).toBe(0);
    expect(existsSync(record)).toBe(true);
    const started = JSON.parse(readFileSync(record, 'utf8')) as { argv: string[]; hub: string };
    expect(started.hub).toBe('http://127.0.0.1:39999');
    expect(started.argv).toHaveLength(1);
    expect(started.argv[0]).toMatch(/dist[\\/]main[\\/]main\.cjs$/);
  }, 60_000);
});
