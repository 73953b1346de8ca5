import { describe, expect, it } from 'vitest';
import { badgeText, overlayDescription, trayIconState, trayTooltip } from './badge';

describe('badgeText', () => {
  it.each([
    [0, ''],
    [-3, ''],
    [Number.NaN, ''],
    [1, '1'],
    [42, '42'],
    [99, '99'],
    [100, '99+'],
    [123_456, '99+'],
    [Number.POSITIVE_INFINITY, ''],
  ])('%d → %j', (count, text) => {
    expect(badgeText(count)).toBe(text);
  });
});

describe('overlayDescription', () => {
  it('is singular for one, plural otherwise, empty for none', () => {
    expect(overlayDescription(1)).toBe('1 unacknowledged case');
    expect(overlayDescription(2)).toBe('2 unacknowledged cases');
    expect(overlayDescription(250)).toBe('99+ unacknowledged cases');
    expect(overlayDescription(0)).toBe('');
  });
});

describe('trayTooltip', () => {
  it('says live and the count', () => {
    expect(trayTooltip(3, 'live')).toBe('Clarion — Live — 3 unacknowledged cases');
    expect(trayTooltip(0, 'live')).toBe('Clarion — Live — nothing unacknowledged');
  });

  it('puts a stale connection first and plainly', () => {
    expect(trayTooltip(3, 'stale')).toBe('Clarion — NOT CONNECTED — data may be out of date — 3 unacknowledged cases');
  });
});

describe('trayIconState', () => {
  it('shows stale over everything, then whether there is work', () => {
    expect(trayIconState(5, 'stale')).toBe('stale');
    expect(trayIconState(0, 'live')).toBe('live');
    expect(trayIconState(1, 'live')).toBe('live-with-alerts');
  });
});
