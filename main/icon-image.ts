// Clarion's icon, drawn in code: the app ships no binary artwork, and the tray icon changes with
// the desk's state at run time. A rounded NHS-blue square with a white bell, plus a dot for state.
import { deflateSync } from 'node:zlib';

export type IconMark = 'none' | 'alert' | 'stale';

const NHS_BLUE = [0x00, 0x5e, 0xb8] as const;
const WHITE = [0xff, 0xff, 0xff] as const;
const ALERT_RED = [0xda, 0x29, 0x1c] as const;
const STALE_GREY = [0x76, 0x86, 0x92] as const;

type Colour = readonly [number, number, number];

/** Signed distance from a point to a rounded rectangle centred at the origin; negative inside. */
function roundedRectangleDistance(x: number, y: number, halfWidth: number, halfHeight: number, radius: number): number {
  const qx = Math.abs(x) - halfWidth + radius;
  const qy = Math.abs(y) - halfHeight + radius;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

/** Coverage (0–1) from a signed distance measured in pixels: a one-pixel soft edge, which is enough antialiasing. */
function coverage(distance: number): number {
  return Math.min(Math.max(0.5 - distance, 0), 1);
}

/** The shapes, in units where the icon spans -1…1; each returns a signed distance in those units. */
function bellDistance(x: number, y: number): number {
  // Dome: a circle cut off below its centre, on a flared rim; clapper below.
  const dome = Math.max(Math.hypot(x, y + 0.12) - 0.42, y - 0.22);
  const body = roundedRectangleDistance(x, y - 0.1, 0.42, 0.22, 0.02);
  const rim = roundedRectangleDistance(x, y - 0.3, 0.55, 0.06, 0.05);
  const clapper = Math.hypot(x, y - 0.46) - 0.1;
  const knob = Math.hypot(x, y + 0.56) - 0.07;
  return Math.min(dome, body, rim, clapper, knob);
}

/** RGBA pixels of a square icon `size` pixels wide. */
export function drawIcon(size: number, mark: IconMark = 'none'): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const unitsPerPixel = 2 / size;
  for (let row = 0; row < size; row += 1) {
    for (let column = 0; column < size; column += 1) {
      const x = (column + 0.5) * unitsPerPixel - 1;
      const y = (row + 0.5) * unitsPerPixel - 1;
      const background = coverage(roundedRectangleDistance(x, y, 0.94, 0.94, 0.28) / unitsPerPixel);
      let colour: Colour = NHS_BLUE;
      colour = blend(colour, WHITE, coverage(bellDistance(x, y) / unitsPerPixel));
      let alpha = background;
      if (mark !== 'none') {
        const dot = Math.hypot(x - 0.6, y + 0.6) - 0.34;
        const ring = coverage((dot - 0.08) / unitsPerPixel);
        colour = blend(colour, WHITE, ring);
        colour = blend(colour, mark === 'alert' ? ALERT_RED : STALE_GREY, coverage(dot / unitsPerPixel));
        alpha = Math.max(alpha, ring);
      }
      const offset = (row * size + column) * 4;
      pixels[offset] = colour[0];
      pixels[offset + 1] = colour[1];
      pixels[offset + 2] = colour[2];
      pixels[offset + 3] = Math.round(alpha * 255);
    }
  }
  return pixels;
}

function blend(under: Colour, over: Colour, amount: number): Colour {
  const mix = (channel: 0 | 1 | 2): number => Math.round(under[channel] * (1 - amount) + over[channel] * amount);
  return [mix(0), mix(1), mix(2)];
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG file (8-bit RGBA, no interlace) of the given pixels. */
export function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  if (rgba.length !== width * height * 4) throw new Error(`expected ${width * height * 4} bytes of RGBA, got ${rgba.length}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  // Each scanline starts with filter type 0 (none).
  const scanlines = Buffer.alloc(height * (width * 4 + 1));
  for (let row = 0; row < height; row += 1) {
    rgba.copy(scanlines, row * (width * 4 + 1) + 1, row * width * 4, (row + 1) * width * 4);
  }
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(scanlines)), chunk('IEND', Buffer.alloc(0))]);
}

export function iconPng(size: number, mark: IconMark = 'none'): Buffer {
  return encodePng(size, size, drawIcon(size, mark));
}
