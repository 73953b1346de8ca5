import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, withContentSecurityPolicy } from './csp';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe('contentSecurityPolicy', () => {
  it('allows only the hub and its socket, and never eval', () => {
    const policy = directives(contentSecurityPolicy('http://127.0.0.1:4610'));
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:4610']);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(contentSecurityPolicy('http://127.0.0.1:4610')).not.toContain('unsafe-eval');
  });

  it('uses wss for an https hub', () => {
    const policy = directives(contentSecurityPolicy('https://clarion.trust.nhs.uk'));
    expect(policy.get('connect-src')).toEqual(["'self'", 'wss://clarion.trust.nhs.uk']);
  });
});

describe('withContentSecurityPolicy', () => {
  const hub = 'http://127.0.0.1:4610';

  it('adds the policy to hub responses without dropping other headers', () => {
    const headers = withContentSecurityPolicy({ 'content-type': ['text/html'] }, 'http://127.0.0.1:4610/index.html', hub);
    expect(headers['content-type']).toEqual(['text/html']);
    expect(headers['Content-Security-Policy']).toEqual([contentSecurityPolicy(hub)]);
  });

  it('keeps a policy the hub sent (both are enforced) under its own header name', () => {
    const headers = withContentSecurityPolicy({ 'content-security-policy': ["default-src 'none'"] }, 'http://127.0.0.1:4610/', hub);
    expect(Object.keys(headers)).toEqual(['content-security-policy']);
    expect(headers['content-security-policy']).toEqual(["default-src 'none'", contentSecurityPolicy(hub)]);
  });

  it('leaves responses from other origins and unparsable URLs untouched', () => {
    expect(withContentSecurityPolicy({ a: ['1'] }, 'http://127.0.0.1:4610.evil.com/', hub)).toEqual({ a: ['1'] });
    expect(withContentSecurityPolicy(undefined, 'devtools://devtools/x', hub)).toEqual({});
    expect(withContentSecurityPolicy({}, '::', hub)).toEqual({});
  });
});
