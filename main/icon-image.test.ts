import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, drawIcon, encodePng, iconPng, PNG_SIGNATURE } from './icon-image';

/** A minimal PNG reader written for this test: chunks, checksums, and unfiltered RGBA scanlines. */
function readPng(file: Buffer): { width: number; height: number; pixels: Buffer } {
  expect(file.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  let offset = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  while (offset < file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('ascii', offset + 4, offset + 8);
    const body = file.subarray(offset + 8, offset + 8 + length);
    expect(file.readUInt32BE(offset + 8 + length)).toBe(crc32(file.subarray(offset + 4, offset + 8 + length)));
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect([body[8], body[9], body[12]]).toEqual([8, 6, 0]);
    }
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const pixels = Buffer.alloc(width * height * 4);
  for (let row = 0; row < height; row += 1) {
    expect(raw[row * (width * 4 + 1)]).toBe(0);
    raw.copy(pixels, row * width * 4, row * (width * 4 + 1) + 1, (row + 1) * (width * 4 + 1));
  }
  return { width, height, pixels };
}

function pixel(pixels: Buffer, size: number, column: number, row: number): number[] {
  const offset = (row * size + column) * 4;
  return [...pixels.subarray(offset, offset + 4)];
}

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
});

describe('encodePng', () => {
  it('round-trips pixels', () => {
    const rgba = Buffer.from([255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 1, 2, 3, 4]);
    expect(readPng(encodePng(2, 2, rgba))).toEqual({ width: 2, height: 2, pixels: rgba });
  });

  it('refuses a pixel buffer of the wrong size', () => {
    expect(() => encodePng(2, 2, Buffer.alloc(15))).toThrow(/expected 16 bytes/);
  });
});

describe('the icon', () => {
  it('is transparent at the rounded corners, blue at the edge and white in the bell', () => {
    const { width, pixels } = readPng(iconPng(256));
    expect(width).toBe(256);
    expect(pixel(pixels, 256, 0, 0)[3]).toBe(0);
    expect(pixel(pixels, 256, 128, 12)).toEqual([0x00, 0x5e, 0xb8, 255]);
    expect(pixel(pixels, 256, 128, 128)).toEqual([255, 255, 255, 255]);
  });

  it('marks alerts with a red dot and staleness with a grey one, top right', () => {
    const size = 32;
    const dotCentre: [number, number] = [Math.round(size * 0.8), Math.round(size * 0.2)];
    expect(pixel(drawIcon(size, 'alert'), size, ...dotCentre)).toEqual([0xda, 0x29, 0x1c, 255]);
    expect(pixel(drawIcon(size, 'stale'), size, ...dotCentre)).toEqual([0x76, 0x86, 0x92, 255]);
    expect(pixel(drawIcon(size, 'none'), size, ...dotCentre)).not.toEqual([0xda, 0x29, 0x1c, 255]);
  });
});
