// The hub's own settings: one typed source built from flags over environment over defaults, validated at start.
import { resolve } from 'node:path';
import { z } from 'zod';

export const HubConfigSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(4610),
  dataDir: z.string().min(1).default('./data').transform((dir) => resolve(dir)),
  /** PostgreSQL instead of the embedded SQLite file. */
  databaseUrl: z.string().url().optional(),
  /** Socket.IO Redis adapter, for several hubs behind one address. */
  redisUrl: z.string().url().optional(),
  mode: z.enum(['development', 'production']).default('development'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How long a desk login lasts: a long shift plus handover. */
  sessionHours: z.coerce.number().positive().max(24).default(13),
});
export type HubConfig = z.infer<typeof HubConfigSchema>;
export type HubConfigInput = z.input<typeof HubConfigSchema>;

export interface HubFlags {
  port?: string | undefined;
  host?: string | undefined;
  data?: string | undefined;
}

/** Flags win over the environment; unset values fall to the schema's defaults. Throws a readable error on bad input. */
export function loadHubConfig(env: NodeJS.ProcessEnv, flags: HubFlags = {}): HubConfig {
  const raw = {
    host: flags.host ?? env.CLARION_HOST,
    port: flags.port ?? env.PORT,
    dataDir: flags.data ?? env.CLARION_DATA_DIR,
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    mode: env.NODE_ENV === 'production' ? 'production' : undefined,
    logLevel: env.LOG_LEVEL,
    sessionHours: env.CLARION_SESSION_HOURS,
  };
  const parsed = HubConfigSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`Invalid hub configuration:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Secrets never reach a log: passwords inside URLs are replaced, the rest is printed as is. */
export function maskUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '***';
  }
}
