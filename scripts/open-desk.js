// Opens the desk for a running hub: the Electron app where its binary is installed, otherwise a line
// telling the user which address to open in a browser. Called by scripts/start.js once the hub listens.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const builtMain = join(root, 'dist', 'main', 'main.cjs');

/**
 * Where the Electron binary is, or why there is none. `require('electron')` returns the binary's
 * path, and throws when the package was installed without its binary (ELECTRON_SKIP_BINARY_DOWNLOAD).
 * @returns {{ available: true, path: string } | { available: false, reason: string }}
 */
export function findElectronBinary() {
  let path;
  try {
    path = createRequire(import.meta.url)('electron');
  } catch {
    // Electron's own message here ("failed to install correctly, please delete node_modules/electron…") reads like a
    // fault; on a machine installed with ELECTRON_SKIP_BINARY_DOWNLOAD it is the expected state.
    return { available: false, reason: 'the electron package has no binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD, or its download failed)' };
  }
  if (typeof path !== 'string') return { available: false, reason: 'the electron package did not name a binary' };
  if (!existsSync(path)) return { available: false, reason: `${path} does not exist` };
  return { available: true, path };
}

/**
 * @param {string} url the hub's address, e.g. http://127.0.0.1:4610
 * @returns {Promise<import('node:child_process').ChildProcess | null>} the Electron process, or null when a browser must be used
 */
export async function openDesk(url) {
  const electron = findElectronBinary();
  if (!electron.available) {
    console.log(`Desk: open ${url} in a browser (Electron binary not installed: ${electron.reason})`);
    return null;
  }
  if (!existsSync(builtMain)) {
    console.log('[desk] building the desktop shell (main + preload) …');
    const { buildMain } = await import('../main/build.mjs');
    await buildMain();
  }
  console.log(`Desk: opening the Clarion desktop app on ${url}`);
  const child = spawn(electron.path, [builtMain], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CLARION_HUB_URL: url },
  });
  child.on('error', (error) => console.error(`[desk] Electron failed to start: ${error.message}; open ${url} in a browser`));
  return child;
}
