// Finds the site configuration: the data dir's file when there is one, else the demo. A broken file stops the hub
// with the exact problem, rather than quietly running the demo on a hospital's server.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { demoSiteConfig, SiteConfigSchema, type SiteConfig } from './site-config';

export const SITE_CONFIG_FILE = 'clarion.config.json';

export interface LoadedSiteConfig {
  site: SiteConfig;
  /** True when no config file exists: only then are demo users created and their passwords printed. */
  demo: boolean;
  source: string;
}

export function loadSiteConfig(dataDir: string): LoadedSiteConfig {
  const file = join(dataDir, SITE_CONFIG_FILE);
  if (!existsSync(file)) return { site: demoSiteConfig(), demo: true, source: 'built-in demo configuration' };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = SiteConfigSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${file} is not a valid Clarion configuration:\n${z.prettifyError(parsed.error)}`);
  return { site: parsed.data, demo: false, source: file };
}
