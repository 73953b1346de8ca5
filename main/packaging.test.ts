// Checks electron-builder.yml with electron-builder's own loader and JSON-schema validation, then
// checks the promises docs/security.md makes about what the package contains and which fuses it flips.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

interface ElectronBuilderConfigModule {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<unknown>;
  validateConfiguration(config: unknown, debugLogger: unknown): Promise<void>;
}
const configModule = require('app-builder-lib/out/util/config/config') as ElectronBuilderConfigModule;
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

// Only the parts this test makes claims about; electron-builder's schema checks the rest.
const PackagingSchema = z.object({
  appId: z.string(),
  productName: z.string(),
  artifactName: z.string(),
  // getConfig normalises `files` into filter groups.
  files: z.array(z.object({ filter: z.array(z.string()) })).transform((groups) => groups.flatMap((group) => group.filter)),
  npmRebuild: z.literal(false),
  beforeBuild: z.string(),
  asar: z.literal(true),
  electronFuses: z.record(z.string(), z.boolean()),
  linux: z.object({ target: z.array(z.string()) }),
  win: z.object({ target: z.array(z.string()) }),
  mac: z.object({ target: z.array(z.string()) }),
});

async function loadConfig() {
  const config = await configModule.getConfig(root, join(root, 'electron-builder.yml'), null);
  return { raw: config, config: PackagingSchema.parse(config) };
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation", async () => {
    const { raw } = await loadConfig();
    await expect(configModule.validateConfiguration(raw, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app and versions every artifact', async () => {
    const { config } = await loadConfig();
    expect(config.appId).toBe('uk.nhs.clarion.desk');
    expect(config.productName).toBe('Clarion');
    expect(config.artifactName).toContain('${version}');
  });

  it('builds AppImage and deb, NSIS, and dmg', async () => {
    const { config } = await loadConfig();
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('packages only the bundled main, the preload and the built renderer — no server, no node_modules', async () => {
    const { config } = await loadConfig();
    const included = config.files.filter((pattern) => !pattern.startsWith('!'));
    expect(included.sort()).toEqual(['dist/main/*.cjs', 'dist/renderer/**/*', 'package.json']);
    expect(config.files).toContain('!node_modules');
    expect(config.files.some((pattern) => pattern.includes('server') || pattern.includes('sqlite'))).toBe(false);
    const skipNodeModules = require(join(root, config.beforeBuild)) as () => Promise<boolean>;
    await expect(skipNodeModules()).resolves.toBe(false);
  });

  it('flips the fuses docs/security.md lists', async () => {
    const { config } = await loadConfig();
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('points package.json at the bundled main process', () => {
    const manifest = z.object({ main: z.string() }).parse(require(join(root, 'package.json')));
    expect(manifest.main).toBe('dist/main/main.cjs');
  });
});
