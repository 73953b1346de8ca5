// Where the desk window reopens. Ward PCs change monitors (a laptop leaves its dock, a wall screen
// is unplugged), so a saved position is only trusted if it is still on a display; otherwise the
// window comes back centred on the primary display rather than somewhere nobody can see it.
import type { Rectangle } from 'electron';
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFileAtomically } from './json-file';

export const WINDOW_STATE_FILE_NAME = 'window-state.json';

export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 800 } as const;
export const MINIMUM_WINDOW_SIZE = { width: 800, height: 560 } as const;

const Pixels = z.number().int().min(-100_000).max(100_000);

export const WindowStateSchema = z.object({
  x: Pixels,
  y: Pixels,
  width: Pixels.positive(),
  height: Pixels.positive(),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export interface RestoredWindow {
  bounds: Rectangle;
  maximized: boolean;
}

function overlapArea(a: Rectangle, b: Rectangle): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

function clamp(value: number, lowest: number, highest: number): number {
  return Math.min(Math.max(value, lowest), highest);
}

function centred(size: { width: number; height: number }, area: Rectangle): Rectangle {
  const width = Math.min(size.width, area.width);
  const height = Math.min(size.height, area.height);
  return {
    x: area.x + Math.floor((area.width - width) / 2),
    y: area.y + Math.floor((area.height - height) / 2),
    width,
    height,
  };
}

/**
 * The bounds to open with, given the saved state and the displays' work areas (primary first).
 * The window is placed on the display it overlaps most, shrunk to fit that display, and moved fully
 * inside it, so its title bar is always reachable.
 */
export function restoreWindow(saved: WindowState | null, workAreas: readonly Rectangle[]): RestoredWindow {
  const primary = workAreas[0];
  if (primary === undefined) {
    // No display information at all (headless start): let the OS place a default-sized window.
    return { bounds: { x: 0, y: 0, ...DEFAULT_WINDOW_SIZE }, maximized: saved?.maximized ?? false };
  }
  if (saved === null) return { bounds: centred(DEFAULT_WINDOW_SIZE, primary), maximized: false };

  let best: Rectangle | null = null;
  let bestOverlap = 0;
  for (const area of workAreas) {
    const overlap = overlapArea(saved, area);
    if (overlap > bestOverlap) {
      best = area;
      bestOverlap = overlap;
    }
  }
  if (best === null) return { bounds: centred(saved, primary), maximized: saved.maximized };

  const width = clamp(saved.width, Math.min(MINIMUM_WINDOW_SIZE.width, best.width), best.width);
  const height = clamp(saved.height, Math.min(MINIMUM_WINDOW_SIZE.height, best.height), best.height);
  return {
    bounds: {
      x: clamp(saved.x, best.x, best.x + best.width - width),
      y: clamp(saved.y, best.y, best.y + best.height - height),
      width,
      height,
    },
    maximized: saved.maximized,
  };
}

/** The saved state, or null when there is none or it is damaged (a window position is not worth a warning). */
export function loadWindowState(directory: string): WindowState | null {
  const read = readJsonFile(join(directory, WINDOW_STATE_FILE_NAME));
  if (read.kind !== 'parsed') return null;
  const parsed = WindowStateSchema.safeParse(read.value);
  return parsed.success ? parsed.data : null;
}

export function saveWindowState(directory: string, state: WindowState): void {
  writeJsonFileAtomically(join(directory, WINDOW_STATE_FILE_NAME), WindowStateSchema.parse(state));
}
