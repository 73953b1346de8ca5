import { describe, expect, it } from 'vitest';
import {
  AlertKeySchema,
  BridgeChannel,
  BridgeRequestSchemas,
  BridgeResponseSchemas,
  DesktopAlertSchema,
  DesktopSettingsPatchSchema,
  HubUrlSchema,
  bridgeResultSchema,
  invalidArgument,
  BadgeCountSchema,
} from './bridge';

describe('HubUrlSchema', () => {
  it('reduces a hub address to its origin', () => {
    expect(HubUrlSchema.parse('https://clarion.trust.nhs.uk/desk?x=1#y')).toBe('https://clarion.trust.nhs.uk');
    expect(HubUrlSchema.parse('http://127.0.0.1:4610/')).toBe('http://127.0.0.1:4610');
    expect(HubUrlSchema.parse('http://localhost:4610')).toBe('http://localhost:4610');
    expect(HubUrlSchema.parse('http://[::1]:4610')).toBe('http://[::1]:4610');
  });

  it.each([
    ['plain http to another machine', 'http://clarion.trust.nhs.uk'],
    ['a hostname that only starts like loopback', 'http://127.0.0.1.evil.com:4610'],
    ['credentials hiding the real host', 'https://127.0.0.1:4610@evil.com'],
    ['a port that is really a hostname', 'http://127.0.0.1:4610.evil.com'],
    ['file URLs', 'file:///etc/passwd'],
    ['javascript URLs', 'javascript:alert(1)'],
    ['data URLs', 'data:text/html,<script>1</script>'],
    ['text that is not a URL', '127.0.0.1:4610'],
  ])('refuses %s', (_label, text) => {
    expect(HubUrlSchema.safeParse(text).success).toBe(false);
  });
});

describe('DesktopAlertSchema', () => {
  const alert = { caseId: 'c1', kind: 'martha', title: "Martha's Rule call — Ward 3", body: 'Case #1042', urgent: true };

  it('accepts a minimal alert', () => {
    expect(DesktopAlertSchema.parse(alert)).toEqual(alert);
  });

  it('refuses unknown kinds, extra fields and long text that could carry patient words', () => {
    expect(DesktopAlertSchema.safeParse({ ...alert, kind: 'chat' }).success).toBe(false);
    expect(DesktopAlertSchema.safeParse({ ...alert, icon: 'file:///x.png' }).success).toBe(false);
    expect(DesktopAlertSchema.safeParse({ ...alert, body: 'x'.repeat(161) }).success).toBe(false);
    expect(DesktopAlertSchema.safeParse({ ...alert, title: '   ' }).success).toBe(false);
    expect(DesktopAlertSchema.safeParse({ ...alert, urgent: 'yes' }).success).toBe(false);
  });

  it('carries an optional key naming the alert, for withdrawing it later', () => {
    expect(DesktopAlertSchema.parse({ ...alert, key: '12:escalated:c1' })).toEqual({ ...alert, key: '12:escalated:c1' });
    expect(DesktopAlertSchema.safeParse({ ...alert, key: '' }).success).toBe(false);
    expect(DesktopAlertSchema.safeParse({ ...alert, key: 12 }).success).toBe(false);
    expect(DesktopAlertSchema.safeParse({ ...alert, key: 'k'.repeat(201) }).success).toBe(false);
  });
});

describe('withdraw', () => {
  it('takes one alert key, a non-empty string of bounded length, and nothing else', () => {
    expect(BridgeRequestSchemas[BridgeChannel.withdraw].parse('martha:c1')).toBe('martha:c1');
    expect(AlertKeySchema.safeParse('k'.repeat(200)).success).toBe(true);
    for (const bad of ['', 'k'.repeat(201), 12, null, undefined, { key: 'martha:c1' }, ['martha:c1']]) {
      expect(BridgeRequestSchemas[BridgeChannel.withdraw].safeParse(bad).success).toBe(false);
    }
    expect(BridgeResponseSchemas[BridgeChannel.withdraw].safeParse(null).success).toBe(true);
  });
});

describe('request schemas', () => {
  it('gives every renderer → main channel a schema and a response schema', () => {
    const invokeChannels = Object.values(BridgeChannel).filter((channel) => channel !== BridgeChannel.focusCase);
    expect(Object.keys(BridgeRequestSchemas).sort()).toEqual([...invokeChannels].sort());
    expect(Object.keys(BridgeResponseSchemas).sort()).toEqual([...invokeChannels].sort());
  });

  it('refuses badge counts that are not whole non-negative numbers', () => {
    expect(BadgeCountSchema.safeParse(3).success).toBe(true);
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '3']) {
      expect(BadgeCountSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('refuses settings fields the renderer may not touch', () => {
    expect(DesktopSettingsPatchSchema.safeParse({ kiosk: true }).success).toBe(true);
    expect(DesktopSettingsPatchSchema.safeParse({ updates: { enabled: true } }).success).toBe(false);
  });
});

describe('results', () => {
  it('parses both result shapes and rejects a mixture', () => {
    const schema = bridgeResultSchema(BadgeCountSchema);
    expect(schema.parse({ ok: true, value: 2 })).toEqual({ ok: true, value: 2 });
    expect(schema.safeParse({ ok: false, error: { code: 'invalid', message: 'no' } }).success).toBe(true);
    expect(schema.safeParse({ ok: true, error: { code: 'invalid', message: 'no' } }).success).toBe(false);
  });

  it('names the field that failed', () => {
    const parsed = DesktopAlertSchema.safeParse({ caseId: 'c1', kind: 'martha', title: '', body: '', urgent: true });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    const result = invalidArgument(parsed.error);
    expect(result.error.code).toBe('invalid');
    expect(result.error.message).toMatch(/^title: /);
  });
});
