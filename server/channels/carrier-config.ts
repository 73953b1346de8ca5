// The carriers' settings, read once at start from the environment (CHANNELS.md lists the variables).
// A carrier whose secrets are missing is disabled with one reason; a value that is present but
// malformed stops the start, because a half-working carrier drops patients' messages silently.
import { z } from 'zod';
import { E164Schema } from '../../shared/inbound';
import { toE164 } from '../../shared/phone';

export const CARRIERS = ['twilio', 'whatsapp', 'rbm', 'notify'] as const;
export type CarrierName = (typeof CARRIERS)[number];

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Unset and blank mean the same: an operator who writes `TWILIO_AUTH_TOKEN=` has not set it. */
const optionalText = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
  z.string().trim().optional(),
);

const baseUrl = (fallback: string) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z
      .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
      .default(fallback)
      .transform((url) => url.replace(/\/+$/, '')),
  );

const phoneNumber = optionalText.pipe(
  z
    .string()
    .transform((raw, context) => {
      const e164 = toE164(raw);
      if (e164 === null) {
        context.addIssue({ code: 'custom', message: 'expected a phone number such as +447700900123' });
        return z.NEVER;
      }
      return e164;
    })
    .pipe(E164Schema)
    .optional(),
);

export const CarrierEnvSchema = z.object({
  CLARION_PUBLIC_URL: optionalText.pipe(
    z
      .url({ protocol: /^https?$/, error: 'expected the http(s) URL carriers call, such as https://clarion.example.nhs.uk' })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
  ),
  CARRIER_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(60_000).default(10_000),
  /** An SMS or WhatsApp reply the carrier took but has not reported delivered by then marks its case (H6). 15 min – 2 days. */
  DELIVERY_CONFIRM_MINUTES_SMS: z.coerce.number().int().min(15).max(2_880).default(240),
  DELIVERY_CONFIRM_MINUTES_WHATSAPP: z.coerce.number().int().min(15).max(2_880).default(240),

  TWILIO_ACCOUNT_SID: optionalText.pipe(z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'expected AC followed by 32 hex digits').optional()),
  TWILIO_AUTH_TOKEN: optionalText,
  TWILIO_FROM: optionalText,
  TWILIO_MESSAGING_SERVICE_SID: optionalText.pipe(
    z.string().regex(/^MG[0-9a-fA-F]{32}$/, 'expected MG followed by 32 hex digits').optional(),
  ),
  TWILIO_API_BASE_URL: baseUrl('https://api.twilio.com'),

  WHATSAPP_APP_SECRET: optionalText,
  WHATSAPP_VERIFY_TOKEN: optionalText,
  WHATSAPP_ACCESS_TOKEN: optionalText,
  WHATSAPP_PHONE_NUMBER_ID: optionalText.pipe(z.string().regex(/^\d+$/, 'expected the numeric phone number id from Meta').optional()),
  // Graph API paths carry the version; Meta retires each about two years after release.
  WHATSAPP_API_BASE_URL: baseUrl('https://graph.facebook.com/v24.0'),

  RBM_CLIENT_TOKEN: optionalText,
  RBM_AGENT_ID: optionalText,
  RBM_SERVICE_ACCOUNT_FILE: optionalText,
  RBM_LINE_NUMBER: phoneNumber,
  RBM_API_BASE_URL: baseUrl('https://rcsbusinessmessaging.googleapis.com'),

  NOTIFY_CALLBACK_TOKEN: optionalText.pipe(z.string().min(10, 'Notify requires callback tokens of at least 10 characters').optional()),
  NOTIFY_API_KEY: optionalText.pipe(
    z
      .string()
      .refine(
        (key) => key.length > 74 && UUID_PATTERN.test(key.slice(-73, -37)) && UUID_PATTERN.test(key.slice(-36)),
        'expected a Notify API key: {name}-{service id}-{secret}',
      )
      .optional(),
  ),
  NOTIFY_TEMPLATE_ID: optionalText.pipe(z.string().regex(UUID_PATTERN, 'expected the template id (a UUID)').optional()),
  NOTIFY_SMS_SENDER_ID: optionalText.pipe(z.string().regex(UUID_PATTERN, 'expected the SMS sender id (a UUID)').optional()),
  NOTIFY_API_BASE_URL: baseUrl('https://api.notifications.service.gov.uk'),
});
export type CarrierEnv = z.infer<typeof CarrierEnvSchema>;

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  /** Twilio signs the URL it called, so verification needs the public base URL, not the one we bind. */
  publicUrl: string;
  sender: { kind: 'from'; from: string } | { kind: 'messagingService'; messagingServiceSid: string };
  apiBaseUrl: string;
}

export interface WhatsAppSettings {
  appSecret: string;
  verifyToken: string;
  accessToken: string;
  phoneNumberId: string;
  apiBaseUrl: string;
}

export interface RbmSettings {
  clientToken: string;
  agentId: string;
  serviceAccountFile: string;
  /** RBM messages carry no destination number; this is the line (E.164) they are filed under. */
  lineNumber: string;
  apiBaseUrl: string;
}

export interface NotifySettings {
  callbackToken: string;
  serviceId: string;
  /** The signing half of the API key; the JWT is built from it for each request. */
  apiKeySecret: string;
  templateId: string;
  smsSenderId: string | undefined;
  apiBaseUrl: string;
}

export type CarrierSetting<Settings> = { enabled: true; settings: Settings } | { enabled: false; reason: string };

export interface CarrierConfig {
  requestTimeoutMs: number;
  /** How long a send may go without a delivery report before its case is marked (server/outbox/reply-undelivered.ts). */
  deliveryConfirmMs?: { sms: number; whatsapp: number };
  twilio: CarrierSetting<TwilioSettings>;
  whatsapp: CarrierSetting<WhatsAppSettings>;
  rbm: CarrierSetting<RbmSettings>;
  notify: CarrierSetting<NotifySettings>;
}

export class CarrierConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid carrier settings: ${problems.join('; ')}`);
    this.name = 'CarrierConfigError';
  }
}

function missing(carrier: string, names: string[]): { enabled: false; reason: string } {
  return { enabled: false, reason: `${carrier} is disabled: ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} not set` };
}

function unsetNames(env: CarrierEnv, names: readonly (keyof CarrierEnv)[]): string[] {
  return names.filter((name) => env[name] === undefined);
}

function twilioSetting(env: CarrierEnv): CarrierSetting<TwilioSettings> {
  const unset = unsetNames(env, ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'CLARION_PUBLIC_URL']);
  if (env.TWILIO_FROM === undefined && env.TWILIO_MESSAGING_SERVICE_SID === undefined) {
    unset.push('TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID');
  }
  const { TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken, CLARION_PUBLIC_URL: publicUrl } = env;
  if (unset.length > 0 || accountSid === undefined || authToken === undefined || publicUrl === undefined) {
    return missing('Twilio', unset);
  }
  // A Messaging Service picks the sender itself (and handles opt-outs per service), so it wins.
  const sender: TwilioSettings['sender'] =
    env.TWILIO_MESSAGING_SERVICE_SID !== undefined
      ? { kind: 'messagingService', messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID }
      : { kind: 'from', from: env.TWILIO_FROM ?? '' };
  return { enabled: true, settings: { accountSid, authToken, publicUrl, sender, apiBaseUrl: env.TWILIO_API_BASE_URL } };
}

function whatsAppSetting(env: CarrierEnv): CarrierSetting<WhatsAppSettings> {
  const { WHATSAPP_APP_SECRET: appSecret, WHATSAPP_VERIFY_TOKEN: verifyToken } = env;
  const { WHATSAPP_ACCESS_TOKEN: accessToken, WHATSAPP_PHONE_NUMBER_ID: phoneNumberId } = env;
  if (appSecret === undefined || verifyToken === undefined || accessToken === undefined || phoneNumberId === undefined) {
    return missing(
      'WhatsApp',
      unsetNames(env, ['WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID']),
    );
  }
  return { enabled: true, settings: { appSecret, verifyToken, accessToken, phoneNumberId, apiBaseUrl: env.WHATSAPP_API_BASE_URL } };
}

function rbmSetting(env: CarrierEnv): CarrierSetting<RbmSettings> {
  const { RBM_CLIENT_TOKEN: clientToken, RBM_AGENT_ID: agentId } = env;
  const { RBM_SERVICE_ACCOUNT_FILE: serviceAccountFile, RBM_LINE_NUMBER: lineNumber } = env;
  if (clientToken === undefined || agentId === undefined || serviceAccountFile === undefined || lineNumber === undefined) {
    return missing(
      'RBM',
      unsetNames(env, ['RBM_CLIENT_TOKEN', 'RBM_AGENT_ID', 'RBM_SERVICE_ACCOUNT_FILE', 'RBM_LINE_NUMBER']),
    );
  }
  return { enabled: true, settings: { clientToken, agentId, serviceAccountFile, lineNumber, apiBaseUrl: env.RBM_API_BASE_URL } };
}

function notifySetting(env: CarrierEnv): CarrierSetting<NotifySettings> {
  const { NOTIFY_CALLBACK_TOKEN: callbackToken, NOTIFY_API_KEY: apiKey, NOTIFY_TEMPLATE_ID: templateId } = env;
  if (callbackToken === undefined || apiKey === undefined || templateId === undefined) {
    return missing('GOV.UK Notify', unsetNames(env, ['NOTIFY_CALLBACK_TOKEN', 'NOTIFY_API_KEY', 'NOTIFY_TEMPLATE_ID']));
  }
  return {
    enabled: true,
    settings: {
      callbackToken,
      serviceId: apiKey.slice(-73, -37),
      apiKeySecret: apiKey.slice(-36),
      templateId,
      smsSenderId: env.NOTIFY_SMS_SENDER_ID,
      apiBaseUrl: env.NOTIFY_API_BASE_URL,
    },
  };
}

/** Reads the carriers' settings; throws CarrierConfigError naming each malformed variable (never its value). */
export function loadCarrierConfig(env: NodeJS.ProcessEnv): CarrierConfig {
  const parsed = CarrierEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new CarrierConfigError(parsed.error.issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`));
  }
  const values = parsed.data;
  return {
    requestTimeoutMs: values.CARRIER_REQUEST_TIMEOUT_MS,
    deliveryConfirmMs: { sms: values.DELIVERY_CONFIRM_MINUTES_SMS * 60_000, whatsapp: values.DELIVERY_CONFIRM_MINUTES_WHATSAPP * 60_000 },
    twilio: twilioSetting(values),
    whatsapp: whatsAppSetting(values),
    rbm: rbmSetting(values),
    notify: notifySetting(values),
  };
}

export function listDisabledCarriers(config: CarrierConfig): { carrier: CarrierName; reason: string }[] {
  const disabled: { carrier: CarrierName; reason: string }[] = [];
  for (const carrier of CARRIERS) {
    const setting = config[carrier];
    if (!setting.enabled) disabled.push({ carrier, reason: setting.reason });
  }
  return disabled;
}

/** Secrets shown as their length only: even a few characters of a short verify token help a guesser. */
function maskSecret(secret: string): string {
  return `<set, ${secret.length} characters>`;
}

export type MaskedCarrierConfig = {
  requestTimeoutMs: number;
} & Record<CarrierName, { enabled: false; reason: string } | { enabled: true; settings: Record<string, string | undefined> }>;

/** The configuration as it may be printed at start: identifiers and URLs in clear, secrets masked. */
export function maskCarrierConfig(config: CarrierConfig): MaskedCarrierConfig {
  const { twilio, whatsapp, rbm, notify } = config;
  return {
    requestTimeoutMs: config.requestTimeoutMs,
    twilio: twilio.enabled
      ? {
          enabled: true,
          settings: {
            accountSid: twilio.settings.accountSid,
            authToken: maskSecret(twilio.settings.authToken),
            publicUrl: twilio.settings.publicUrl,
            sender:
              twilio.settings.sender.kind === 'from'
                ? `from ${twilio.settings.sender.from}`
                : `messaging service ${twilio.settings.sender.messagingServiceSid}`,
            apiBaseUrl: twilio.settings.apiBaseUrl,
          },
        }
      : twilio,
    whatsapp: whatsapp.enabled
      ? {
          enabled: true,
          settings: {
            appSecret: maskSecret(whatsapp.settings.appSecret),
            verifyToken: maskSecret(whatsapp.settings.verifyToken),
            accessToken: maskSecret(whatsapp.settings.accessToken),
            phoneNumberId: whatsapp.settings.phoneNumberId,
            apiBaseUrl: whatsapp.settings.apiBaseUrl,
          },
        }
      : whatsapp,
    rbm: rbm.enabled
      ? {
          enabled: true,
          settings: {
            clientToken: maskSecret(rbm.settings.clientToken),
            agentId: rbm.settings.agentId,
            serviceAccountFile: rbm.settings.serviceAccountFile,
            lineNumber: rbm.settings.lineNumber,
            apiBaseUrl: rbm.settings.apiBaseUrl,
          },
        }
      : rbm,
    notify: notify.enabled
      ? {
          enabled: true,
          settings: {
            callbackToken: maskSecret(notify.settings.callbackToken),
            serviceId: notify.settings.serviceId,
            apiKey: maskSecret(notify.settings.apiKeySecret),
            templateId: notify.settings.templateId,
            smsSenderId: notify.settings.smsSenderId,
            apiBaseUrl: notify.settings.apiBaseUrl,
          },
        }
      : notify,
  };
}
