// `clarion`: the hub's command line. Each subcommand parses its own flags with node:util and fails with a usage line.
import { parseArgs } from 'node:util';
import { RoleSchema } from '../../shared/domain';
import { createStaff } from '../auth/staff-directory';
import { systemClock } from '../clock';
import { loadHubConfig } from '../config/hub-config';
import { createHub } from '../hub';
import { verifyAuditChain } from '../store/audit-log';
import { openStore } from '../store/open-store';
import { runSimulate, SIMULATE_USAGE } from '../simulator/cli';
import { hubBanner } from './hub-banner';
import { readFirstLine } from './read-stdin';

const USAGE = `usage:
  clarion hub [--port N] [--host H] [--data DIR]
  clarion user add NAME --role ward_nurse|pals_officer|outreach|admin [--ward W]... [--name "Display Name"] [--data DIR]   (password on stdin)
  clarion audit verify [--data DIR]
  ${SIMULATE_USAGE}
environment: PORT, CLARION_HOST, CLARION_DATA_DIR, DATABASE_URL, REDIS_URL, LOG_LEVEL, NODE_ENV=production`;

export class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'hub':
      return runHub(rest);
    case 'user':
      return runUser(rest);
    case 'audit':
      return runAudit(rest);
    case 'simulate':
      return runSimulate(rest);
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function runHub(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' } }, strict: true });
  const config = loadHubConfig(process.env, values);
  const hub = await createHub({ ...config, seedDemoStaff: true });
  process.stdout.write(hubBanner(hub));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`[hub] ${signal}: finishing writes and closing\n`);
    void hub.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return new Promise<number>(() => {});
}

async function runUser(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'add') throw new UsageError('only "clarion user add" exists');
  const { values, positionals } = parseArgs({
    args: rest,
    options: { role: { type: 'string' }, ward: { type: 'string', multiple: true }, name: { type: 'string' }, data: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [username] = positionals;
  if (username === undefined || positionals.length !== 1) throw new UsageError('clarion user add needs exactly one NAME');
  if (values.role === undefined) throw new UsageError('clarion user add needs --role');
  const password = await readFirstLine();
  const config = loadHubConfig(process.env, { data: values.data });
  const store = await openStore(config.databaseUrl === undefined ? { kind: 'sqlite', dataDir: config.dataDir } : { kind: 'postgres', url: config.databaseUrl }, systemClock);
  try {
    const user = await createStaff(store, { username, displayName: values.name ?? username, password, role: RoleSchema.parse(values.role), wards: values.ward ?? [] });
    process.stdout.write(`created ${user.username} (${user.role}${user.wards.length > 0 ? `, wards ${user.wards.join(',')}` : ''})\n`);
    return 0;
  } finally {
    await store.close();
  }
}

async function runAudit(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'verify') throw new UsageError('only "clarion audit verify" exists');
  const { values } = parseArgs({ args: rest, options: { data: { type: 'string' } }, strict: true });
  const config = loadHubConfig(process.env, { data: values.data });
  const store = await openStore(config.databaseUrl === undefined ? { kind: 'sqlite', dataDir: config.dataDir } : { kind: 'postgres', url: config.databaseUrl }, systemClock);
  try {
    const verdict = await verifyAuditChain(store.db);
    if (verdict.ok) {
      process.stdout.write(`audit chain intact: ${verdict.rows} rows\n`);
      return 0;
    }
    process.stdout.write(`audit chain BROKEN at row ${verdict.brokenAt}: ${verdict.reason} (${verdict.rows} rows verified before it)\n`);
    return 1;
  } finally {
    await store.close();
  }
}

export function usage(): string {
  return USAGE;
}
