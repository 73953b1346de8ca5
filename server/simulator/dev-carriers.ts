// Development only: carrier secrets generated into the data dir, so the hub and the simulator share
// them without anyone typing a secret. The hub reads the file only in development mode and only for
// variables its environment leaves unset; production never looks at it (server/hub.ts).
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { loadCarrierConfig, type CarrierConfig } from '../channels/carrier-config';
import { readServiceAccountFile } from '../channels/outbound/google-access-token';
import { googleAccountFromKey, type GoogleAccount } from './carrier-auth';

export const DEV_CARRIERS_FILE = 'dev-carriers.env';
export const DEV_RBM_KEY_FILE = 'dev-rbm-service-account.json';
export const DEMO_LINES = { martha: '+447700900111', pals: '+447700900222', ward: '+447700900333' } as const;

/** JSON, despite the name: `{ generatedAt, env: { NAME: value } }`, one value per carrier variable. */
const DevCarriersFileSchema = z.object({
  generatedAt: z.string(),
  simulatorUrl: z.url(),
  env: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.string()),
});
export type DevCarriersFile = z.infer<typeof DevCarriersFileSchema>;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/**
 * Fresh secrets for all four carriers, pointing their APIs at the simulator and Twilio's signed URL at
 * the hub. Writes the RBM service-account key (its token_uri is the simulator) and the env file, both
 * readable by the owner only.
 */
export function writeDevCarriers(input: { dataDir: string; publicUrl: string; simulatorUrl: string }): DevCarriersFile {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyFile = join(input.dataDir, DEV_RBM_KEY_FILE);
  const serviceAccount = {
    type: 'service_account',
    project_id: 'clarion-dev-rbm',
    private_key_id: hex(20),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: 'clarion-dev@clarion-dev-rbm.iam.gserviceaccount.com',
    token_uri: `${input.simulatorUrl}/google/token`,
  };
  writeFileSync(keyFile, JSON.stringify(serviceAccount, null, 2), { mode: 0o600 });
  const file: DevCarriersFile = {
    generatedAt: new Date().toISOString(),
    simulatorUrl: input.simulatorUrl,
    env: {
      CLARION_PUBLIC_URL: input.publicUrl,
      TWILIO_ACCOUNT_SID: `AC${hex(16)}`,
      TWILIO_AUTH_TOKEN: hex(16),
      TWILIO_FROM: DEMO_LINES.ward,
      TWILIO_API_BASE_URL: `${input.simulatorUrl}/twilio`,
      WHATSAPP_APP_SECRET: hex(16),
      WHATSAPP_VERIFY_TOKEN: hex(24),
      WHATSAPP_ACCESS_TOKEN: `EAAG${randomBytes(48).toString('base64url')}`,
      WHATSAPP_PHONE_NUMBER_ID: String(100_000_000_000_000 + Math.floor(Math.random() * 899_999_999_999_999)),
      WHATSAPP_API_BASE_URL: `${input.simulatorUrl}/whatsapp/v24.0`,
      RBM_CLIENT_TOKEN: hex(24),
      RBM_AGENT_ID: 'clarion-dev-agent',
      RBM_SERVICE_ACCOUNT_FILE: keyFile,
      RBM_LINE_NUMBER: DEMO_LINES.ward,
      RBM_API_BASE_URL: `${input.simulatorUrl}/rbm`,
      NOTIFY_CALLBACK_TOKEN: hex(24),
      NOTIFY_API_KEY: `clarion_dev-${randomUUID()}-${randomUUID()}`,
      NOTIFY_TEMPLATE_ID: randomUUID(),
      NOTIFY_API_BASE_URL: `${input.simulatorUrl}/notify`,
    },
  };
  writeFileSync(join(input.dataDir, DEV_CARRIERS_FILE), `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** The file's contents, or undefined when there is none. A malformed file stops the start, naming the file. */
export function readDevCarriers(dataDir: string): DevCarriersFile | undefined {
  const path = join(dataDir, DEV_CARRIERS_FILE);
  if (!existsSync(path)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new Error(`${path} is not JSON: delete it and run "clarion simulate" again`);
  }
  const parsed = DevCarriersFileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${path} is not a dev carriers file: delete it and run "clarion simulate" again`);
  return parsed.data;
}

/** The environment the hub should read carriers from: the dev file's values under any the environment sets. */
export function withDevCarriers(file: DevCarriersFile | undefined, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (file === undefined) return env;
  const merged: NodeJS.ProcessEnv = { ...file.env };
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value.trim() !== '') merged[name] = value;
  return merged;
}

/** What the simulator needs to stand in for the carriers described by a dev file. */
export async function simulatorSettings(file: DevCarriersFile): Promise<{ carriers: CarrierConfig; googleAccount: GoogleAccount }> {
  const carriers = loadCarrierConfig(file.env);
  const keyPath = file.env.RBM_SERVICE_ACCOUNT_FILE;
  if (keyPath === undefined) throw new Error('the dev carriers file names no RBM service-account file');
  return { carriers, googleAccount: googleAccountFromKey(await readServiceAccountFile(keyPath)) };
}
