// The hub serves dist/renderer; build it when any renderer or shared source is newer than the build,
// so `vitest run --project e2e` alone tests the code on disk, not yesterday's bundle.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const RENDERER_DIST = join(REPO_ROOT, 'dist', 'renderer');

function newestSource(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export async function ensureRendererBuilt(): Promise<void> {
  const index = join(RENDERER_DIST, 'index.html');
  const sources = Math.max(newestSource(join(REPO_ROOT, 'renderer')), newestSource(join(REPO_ROOT, 'shared')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  await build({ configFile: join(REPO_ROOT, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}
