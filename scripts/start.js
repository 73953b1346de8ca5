// `npm start`: build the desk if its sources changed, start the hub on its defaults (127.0.0.1:4610, SQLite in
// ./data), and open the desk — the Electron window where its binary exists, else the URL for a browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDesk } from './open-desk.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const builtIndex = join(root, 'dist', 'renderer', 'index.html');

/** Newest modification time under a folder, skipping dependencies and build output. */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function deskIsStale() {
  if (!existsSync(builtIndex)) return true;
  const built = statSync(builtIndex).mtimeMs;
  return newest(join(root, 'renderer')) > built || newest(join(root, 'shared')) > built;
}

if (deskIsStale()) {
  console.log('[start] building the desk (renderer) …');
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    console.error('[start] the desk did not build; see the errors above.');
    process.exit(build.status ?? 1);
  }
}

const hub = spawn(process.execPath, [join(root, 'bin', 'clarion.js'), 'hub', ...process.argv.slice(2)], { cwd: root, stdio: ['inherit', 'pipe', 'inherit'] });
let banner = '';
let opened = false;
hub.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (opened) return;
  banner += chunk.toString();
  const match = /Clarion hub (http:\/\/\S+)/.exec(banner);
  if (match !== null) {
    opened = true;
    openDesk(match[1]).catch((error) => console.error(`[start] could not open the desk: ${error instanceof Error ? error.message : error}`));
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => hub.kill(signal));
hub.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 0 : 1)));
