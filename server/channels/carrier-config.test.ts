import { describe, expect, it } from 'vitest';
import { CarrierConfigError, listDisabledCarriers, loadCarrierConfig, maskCarrierConfig } from './carrier-config';

const fullEnv = {
  CLARION_PUBLIC_URL: 'https://clarion.example.nhs.uk/',
  TWILIO_ACCOUNT_SID: 'AC' + '0f'.repeat(16),
  TWILIO_AUTH_TOKEN: 'twilio-auth-token-0123456789abcdef',
  TWILIO_FROM: '+447700900111',
  WHATSAPP_APP_SECRET: 'whatsapp-app-secret-0123456789',
  WHATSAPP_VERIFY_TOKEN: 'ward-verify-token',
  WHATSAPP_ACCESS_TOKEN: 'EAAG-whatsapp-access-token',
  WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
  RBM_CLIENT_TOKEN: 'SJENCPGJESMGUFPY',
  RBM_AGENT_ID: 'clarion-ward-agent',
  RBM_SERVICE_ACCOUNT_FILE: '/etc/clarion/rbm-service-account.json',
  RBM_LINE_NUMBER: '07700 900333',
  NOTIFY_CALLBACK_TOKEN: 'notify-callback-token-0123',
  NOTIFY_API_KEY: 'clarion_live-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0',
  NOTIFY_TEMPLATE_ID: 'f33517ff-2a88-4f6e-b855-c550268ce08a',
};

describe('loadCarrierConfig', () => {
  it('enables every carrier whose secrets are present, with default API base URLs', () => {
    const config = loadCarrierConfig(fullEnv);
    expect(listDisabledCarriers(config)).toEqual([]);
    expect(config.twilio).toMatchObject({
      enabled: true,
      settings: { publicUrl: 'https://clarion.example.nhs.uk', sender: { kind: 'from', from: '+447700900111' }, apiBaseUrl: 'https://api.twilio.com' },
    });
    expect(config.whatsapp).toMatchObject({ enabled: true, settings: { apiBaseUrl: 'https://graph.facebook.com/v24.0' } });
    expect(config.rbm).toMatchObject({ enabled: true, settings: { lineNumber: '+447700900333', apiBaseUrl: 'https://rcsbusinessmessaging.googleapis.com' } });
    expect(config.notify).toMatchObject({
      enabled: true,
      settings: {
        serviceId: '26785a09-ab16-4eb0-8407-a37497a57506',
        apiKeySecret: '3d844edf-8d35-48ac-975b-e847b4f122b0',
        apiBaseUrl: 'https://api.notifications.service.gov.uk',
      },
    });
    expect(config.requestTimeoutMs).toBe(10_000);
  });

  it('takes the base URLs the simulator gives it', () => {
    const config = loadCarrierConfig({ ...fullEnv, TWILIO_API_BASE_URL: 'http://127.0.0.1:4700/twilio/', NOTIFY_API_BASE_URL: 'http://127.0.0.1:4700/notify' });
    expect(config.twilio.enabled && config.twilio.settings.apiBaseUrl).toBe('http://127.0.0.1:4700/twilio');
    expect(config.notify.enabled && config.notify.settings.apiBaseUrl).toBe('http://127.0.0.1:4700/notify');
  });

  it('disables each carrier with one reason naming what is missing, treating blank as unset', () => {
    const config = loadCarrierConfig({ ...fullEnv, TWILIO_AUTH_TOKEN: '  ', TWILIO_FROM: undefined, WHATSAPP_APP_SECRET: undefined, RBM_LINE_NUMBER: '' });
    expect(listDisabledCarriers(config)).toEqual([
      { carrier: 'twilio', reason: 'Twilio is disabled: TWILIO_AUTH_TOKEN, TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID are not set' },
      { carrier: 'whatsapp', reason: 'WhatsApp is disabled: WHATSAPP_APP_SECRET is not set' },
      { carrier: 'rbm', reason: 'RBM is disabled: RBM_LINE_NUMBER is not set' },
    ]);
    expect(listDisabledCarriers(loadCarrierConfig({})).map((entry) => entry.carrier)).toEqual(['twilio', 'whatsapp', 'rbm', 'notify']);
  });

  it('needs the public URL for Twilio, whose signature covers the URL it called', () => {
    const config = loadCarrierConfig({ ...fullEnv, CLARION_PUBLIC_URL: undefined });
    expect(listDisabledCarriers(config)).toEqual([{ carrier: 'twilio', reason: 'Twilio is disabled: CLARION_PUBLIC_URL is not set' }]);
  });

  it('prefers a Messaging Service over a fixed sender', () => {
    const config = loadCarrierConfig({ ...fullEnv, TWILIO_MESSAGING_SERVICE_SID: 'MG' + 'ab'.repeat(16) });
    expect(config.twilio.enabled && config.twilio.settings.sender).toEqual({ kind: 'messagingService', messagingServiceSid: 'MG' + 'ab'.repeat(16) });
  });

  it('stops the start on a malformed value, naming the variable but never its value', () => {
    const attempt = () =>
      loadCarrierConfig({ ...fullEnv, TWILIO_ACCOUNT_SID: 'ACsecretish', NOTIFY_API_KEY: 'not-a-key-secret-value', WHATSAPP_API_BASE_URL: 'ftp://x' });
    expect(attempt).toThrow(CarrierConfigError);
    try {
      attempt();
    } catch (error) {
      if (!(error instanceof CarrierConfigError)) throw error;
      const problems = error.problems.join('\n');
      expect(problems).toContain('TWILIO_ACCOUNT_SID');
      expect(problems).toContain('NOTIFY_API_KEY');
      expect(problems).toContain('WHATSAPP_API_BASE_URL');
      expect(problems).not.toContain('ACsecretish');
      expect(problems).not.toContain('not-a-key-secret-value');
    }
  });
});

describe('maskCarrierConfig', () => {
  it('prints identifiers and URLs but no secret', () => {
    const printed = JSON.stringify(maskCarrierConfig(loadCarrierConfig(fullEnv)));
    for (const secret of [
      fullEnv.TWILIO_AUTH_TOKEN,
      fullEnv.WHATSAPP_APP_SECRET,
      fullEnv.WHATSAPP_VERIFY_TOKEN,
      fullEnv.WHATSAPP_ACCESS_TOKEN,
      fullEnv.RBM_CLIENT_TOKEN,
      fullEnv.NOTIFY_CALLBACK_TOKEN,
      '3d844edf-8d35-48ac-975b-e847b4f122b0',
    ]) {
      expect(printed).not.toContain(secret);
    }
    expect(printed).toContain(fullEnv.TWILIO_ACCOUNT_SID);
    expect(printed).toContain('106540352242922');
    expect(printed).toContain('<set, 17 characters>');
  });
});
