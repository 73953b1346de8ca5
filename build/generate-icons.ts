// Writes the packaging icons from the same drawing the app uses at run time, so there is no binary
// artwork to download or keep in step. Run: npx tsx build/generate-icons.ts
// electron-builder takes build/icon.png (512 px; it derives .ico and .icns) and build/icons/ for Linux.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { iconPng } from '../main/icon-image';

const buildDirectory = dirname(fileURLToPath(import.meta.url));

const outputs: [string, number][] = [
  ['icon.png', 512],
  ['icons/512x512.png', 512],
  ['icons/256x256.png', 256],
];

for (const [name, size] of outputs) {
  const path = join(buildDirectory, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, iconPng(size));
  console.log(`[icons] wrote ${path} (${size}x${size})`);
}
