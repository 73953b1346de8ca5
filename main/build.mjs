// Bundles the Electron main process and the preload into dist/main/ with esbuild.
// The preload runs sandboxed, where require() knows only a few modules, so everything it uses
// (zod, shared/) must be inside one CommonJS file; main is bundled the same way so the package
// needs no node_modules at all. `electron` is provided by the runtime and stays external.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const MAIN_OUTPUT = join(root, 'dist', 'main', 'main.cjs');

/** Electron 41 ships Node 24 and Chromium 146. */
const common = {
  bundle: true,
  format: 'cjs',
  external: ['electron'],
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
};

export async function buildMain() {
  await Promise.all([
    build({ ...common, entryPoints: ['main/main.ts'], outfile: MAIN_OUTPUT, platform: 'node', target: 'node24' }),
    build({ ...common, entryPoints: ['main/preload.ts'], outfile: join(root, 'dist', 'main', 'preload.cjs'), platform: 'browser', target: 'chrome140' }),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildMain();
  console.log(`[build:main] wrote ${MAIN_OUTPUT} and preload.cjs`);
}
