import { describe, expect, it } from 'vitest';
import { decideNavigation, describeExternalLink, isHubUrl } from './navigation-policy';

const hub = 'http://127.0.0.1:4610';

describe('decideNavigation', () => {
  it.each([
    'http://127.0.0.1:4610/',
    'http://127.0.0.1:4610/cases/42?tab=messages#top',
    'HTTP://127.0.0.1:4610/login',
  ])('allows the hub itself: %s', (url) => {
    expect(decideNavigation(url, hub)).toEqual({ action: 'allow' });
  });

  it.each([
    ['a longer hostname starting with the hub', 'http://127.0.0.1:4610.evil.com/'],
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['file://', 'file:///etc/passwd'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['blob:', 'blob:http://127.0.0.1:4610/0b1c'],
    ['a custom scheme', 'ms-msdt:/id PCWDiagnostic'],
    ['userinfo that looks like the hub', 'http://127.0.0.1:4610@evil.com/'],
    ['userinfo on the hub itself', 'http://nurse:secret@127.0.0.1:4610/'],
    ['an empty string', ''],
    ['a relative path (main always sees absolute URLs)', '/cases/1'],
  ])('denies %s', (_label, url) => {
    expect(decideNavigation(url, hub).action).toBe('deny');
  });

  it.each([
    ['another port on the same host', 'http://127.0.0.1:4611/', 'http://127.0.0.1:4611/'],
    ['https on the same host', 'https://127.0.0.1:4610/', 'https://127.0.0.1:4610/'],
    ['localhost (same machine, different origin)', 'http://localhost:4610/', 'http://localhost:4610/'],
    ['an NHS page', 'https://www.nhs.uk/conditions/sepsis/', 'https://www.nhs.uk/conditions/sepsis/'],
    ['a look-alike host, shown as punycode', 'https://nhs.uk.evil.com/', 'https://nhs.uk.evil.com/'],
    ['an IDN host', 'https://nhş.uk/', 'https://xn--nh-gta.uk/'],
  ])('offers %s to the system browser', (_label, url, normalised) => {
    expect(decideNavigation(url, hub)).toEqual({ action: 'open-externally', url: normalised });
  });
});

describe('isHubUrl', () => {
  it('matches origins exactly', () => {
    expect(isHubUrl('http://127.0.0.1:4610/x', hub)).toBe(true);
    expect(isHubUrl('http://127.0.0.1:4610.evil.com/', hub)).toBe(false);
    expect(isHubUrl('ws://127.0.0.1:4610/', hub)).toBe(false);
    expect(isHubUrl('not a url', hub)).toBe(false);
    expect(isHubUrl('https://clarion.trust.nhs.uk/', 'https://clarion.trust.nhs.uk')).toBe(true);
    expect(isHubUrl('https://clarion.trust.nhs.uk:443/', 'https://clarion.trust.nhs.uk')).toBe(true);
  });
});

describe('describeExternalLink', () => {
  it('puts the host in the question and the full address in the detail', () => {
    const text = describeExternalLink('https://nhş.uk/path?q=1');
    expect(text.message).toBe('Open xn--nh-gta.uk in your web browser?');
    expect(text.detail).toContain('https://xn--nh-gta.uk/path?q=1');
  });
});
