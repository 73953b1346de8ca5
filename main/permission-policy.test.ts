import { describe, expect, it } from 'vitest';
import { isPermissionGranted } from './permission-policy';

const hub = 'http://127.0.0.1:4610';

describe('isPermissionGranted', () => {
  it('grants notifications to the hub', () => {
    expect(isPermissionGranted({ permission: 'notifications', requestingUrl: 'http://127.0.0.1:4610/' }, hub)).toBe(true);
    // The check handler passes a bare origin rather than a page URL.
    expect(isPermissionGranted({ permission: 'notifications', requestingUrl: 'http://127.0.0.1:4610' }, hub)).toBe(true);
  });

  it('refuses notifications to any other origin, or when the origin is unknown', () => {
    expect(isPermissionGranted({ permission: 'notifications', requestingUrl: 'http://127.0.0.1:4610.evil.com/' }, hub)).toBe(false);
    expect(isPermissionGranted({ permission: 'notifications', requestingUrl: 'https://evil.example/' }, hub)).toBe(false);
    expect(isPermissionGranted({ permission: 'notifications', requestingUrl: '' }, hub)).toBe(false);
  });

  it.each(['media', 'geolocation', 'clipboard-read', 'display-capture', 'openExternal', 'fullscreen', 'usb', 'unknown'])(
    'refuses %s even to the hub',
    (permission) => {
      expect(isPermissionGranted({ permission, requestingUrl: 'http://127.0.0.1:4610/' }, hub)).toBe(false);
    },
  );
});
