// What `clarion hub` prints at start, for the person who ran it: where the desk is, what it runs on, which settings
// are in force (secrets masked) and, on the demo's first run only, the demo passwords.
import type { Hub } from '../hub';
import { CARRIERS, maskCarrierConfig } from '../channels/carrier-config';
import { maskUrl } from '../config/hub-config';

export function hubBanner(hub: Hub): string {
  const { config } = hub;
  const lines = [
    '',
    `Clarion hub ${hub.url}  (${config.mode})`,
    `  store:    ${hub.store.dialect} ${hub.store.location}`,
    `  config:   ${hub.siteSource}`,
    `  settings: host=${config.host} port=${hub.port} data=${config.dataDir} database=${maskUrl(config.databaseUrl) ?? '(embedded SQLite)'} redis=${maskUrl(config.redisUrl) ?? '(single hub)'} session=${config.sessionHours}h log=${config.logLevel}`,
    `  lines:    ${hub.site.lines.map((line) => `${line.address} ${line.purpose}`).join(', ')}`,
    ...CARRIERS.map((carrier) => {
      const setting = maskCarrierConfig(hub.carriers)[carrier];
      const shown = setting.enabled
        ? `enabled ${Object.entries(setting.settings).map(([name, value]) => `${name}=${value ?? '(default)'}`).join(' ')}`
        : setting.reason;
      return `  ${`${carrier}:`.padEnd(10)}${shown}`;
    }),
  ];
  if (hub.demoCredentials.length > 0) {
    lines.push('', '  Demo accounts (shown once; the demo configuration only — change or remove them before real use):');
    for (const credential of hub.demoCredentials) {
      const wards = credential.wards.length > 0 ? ` wards ${credential.wards.join(',')}` : '';
      lines.push(`    ${credential.username.padEnd(9)} ${credential.password}   ${credential.role}${wards}`);
    }
  } else if (hub.demo) {
    lines.push('', '  Demo configuration: demo accounts were created on first run (their passwords were printed then).');
  }
  if (config.mode === 'development') lines.push('', `  Try it: curl -X POST ${hub.url}/dev/inbound -H 'content-type: application/json' -d '{"from":"+447700900456","to":"+447700900111","text":"Please review my dad"}'`);
  lines.push('');
  return lines.join('\n');
}
