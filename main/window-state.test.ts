import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadWindowState, restoreWindow, saveWindowState, WINDOW_STATE_FILE_NAME, type WindowState } from './window-state';

const laptop = { x: 0, y: 0, width: 1440, height: 860 };
const monitorOnTheRight = { x: 1440, y: 0, width: 1920, height: 1040 };

function saved(partial: Partial<WindowState>): WindowState {
  return { x: 100, y: 80, width: 1200, height: 700, maximized: false, ...partial };
}

describe('restoreWindow', () => {
  it('centres a default-sized window on the primary display the first time', () => {
    expect(restoreWindow(null, [laptop])).toEqual({ bounds: { x: 80, y: 30, width: 1280, height: 800 }, maximized: false });
  });

  it('restores a window that is fully visible exactly', () => {
    expect(restoreWindow(saved({}), [laptop]).bounds).toEqual({ x: 100, y: 80, width: 1200, height: 700 });
  });

  it('restores onto a second display when it is still there', () => {
    const onMonitor = saved({ x: 1600, y: 100 });
    expect(restoreWindow(onMonitor, [laptop, monitorOnTheRight]).bounds).toEqual({ x: 1600, y: 100, width: 1200, height: 700 });
  });

  it('brings a window from an unplugged monitor back to the centre of the primary display', () => {
    const onMonitor = saved({ x: 1600, y: 100 });
    expect(restoreWindow(onMonitor, [laptop]).bounds).toEqual({ x: 120, y: 80, width: 1200, height: 700 });
  });

  it('pulls a half-off-screen window fully inside the display it mostly sits on', () => {
    expect(restoreWindow(saved({ x: 1000, y: -200 }), [laptop]).bounds).toEqual({ x: 240, y: 0, width: 1200, height: 700 });
  });

  it('shrinks a window larger than its display', () => {
    expect(restoreWindow(saved({ x: 0, y: 0, width: 3000, height: 2000 }), [laptop]).bounds).toEqual(laptop);
  });

  it('grows a window below the minimum size, up to what the display allows', () => {
    expect(restoreWindow(saved({ width: 200, height: 100 }), [laptop]).bounds).toEqual({ x: 100, y: 80, width: 800, height: 560 });
    const tiny = { x: 0, y: 0, width: 640, height: 480 };
    expect(restoreWindow(saved({ x: 0, y: 0, width: 200, height: 100 }), [tiny]).bounds).toEqual(tiny);
  });

  it('keeps the maximized flag', () => {
    expect(restoreWindow(saved({ maximized: true }), [laptop]).maximized).toBe(true);
  });

  it('chooses the display the window overlaps most', () => {
    // 140 px on the laptop, 1060 px on the monitor.
    const straddling = saved({ x: 1300, y: 100 });
    expect(restoreWindow(straddling, [laptop, monitorOnTheRight]).bounds.x).toBe(1440);
  });
});

describe('window state file', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'clarion-window-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('round-trips', () => {
    saveWindowState(directory, saved({ maximized: true }));
    expect(loadWindowState(directory)).toEqual(saved({ maximized: true }));
  });

  it('treats a missing or damaged file as no saved state', () => {
    expect(loadWindowState(directory)).toBeNull();
    writeFileSync(join(directory, WINDOW_STATE_FILE_NAME), '{"x": "left"}');
    expect(loadWindowState(directory)).toBeNull();
    writeFileSync(join(directory, WINDOW_STATE_FILE_NAME), '{');
    expect(loadWindowState(directory)).toBeNull();
  });

  it('refuses to save nonsense', () => {
    expect(() => saveWindowState(directory, saved({ width: Number.NaN }))).toThrow();
  });
});
