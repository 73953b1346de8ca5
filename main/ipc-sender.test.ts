import { describe, expect, it } from 'vitest';
import { checkSender } from './ipc-sender';

const trusted = { hubOrigin: 'http://127.0.0.1:4610', deskWebContentsId: 7 };
const deskFrame = { url: 'http://127.0.0.1:4610/cases/1', isMainFrame: true };

describe('checkSender', () => {
  it('trusts the top frame of the desk window on the hub origin', () => {
    expect(checkSender({ webContentsId: 7, frame: deskFrame }, trusted)).toEqual({ trusted: true });
  });

  it.each([
    ['another webContents', { webContentsId: 8, frame: deskFrame }],
    ['a destroyed frame', { webContentsId: 7, frame: null }],
    ['a subframe on the hub origin', { webContentsId: 7, frame: { ...deskFrame, isMainFrame: false } }],
    ['the desk window navigated elsewhere', { webContentsId: 7, frame: { url: 'https://evil.example/', isMainFrame: true } }],
    ['a look-alike origin', { webContentsId: 7, frame: { url: 'http://127.0.0.1:4610.evil.com/', isMainFrame: true } }],
    ['a file page', { webContentsId: 7, frame: { url: 'file:///tmp/x.html', isMainFrame: true } }],
  ])('refuses %s', (_label, sender) => {
    expect(checkSender(sender, trusted).trusted).toBe(false);
  });

  it('refuses everyone before the desk window exists', () => {
    expect(checkSender({ webContentsId: 7, frame: deskFrame }, { ...trusted, deskWebContentsId: null }).trusted).toBe(false);
  });
});
