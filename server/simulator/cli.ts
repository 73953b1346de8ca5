// `clarion simulate`: development only. Generates carrier secrets into the data dir (once), stands in
// for the carriers' APIs on 127.0.0.1, and plays patients: a named scenario, all of them, or an
// interactive phone on the terminal. The hub reads the same secrets file at start (server/hub.ts).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadHubConfig } from '../config/hub-config';
import { CarrierSimulator } from './carrier-simulator';
import { DEMO_LINES, DEV_CARRIERS_FILE, readDevCarriers, simulatorSettings, writeDevCarriers, type DevCarriersFile } from './dev-carriers';
import type { PhoneMessage } from './phone-network';
import { runScenario, SCENARIOS, tapOption, type ScenarioName } from './scenarios';
import { InboundRouteSchema, type InboundRoute } from './types';

export const SIMULATE_USAGE = `clarion simulate [init | serve | interactive | all | ${SCENARIOS.join(' | ')}] [--hub URL] [--data DIR] [--port N] [--phone +44…] [--tap TITLE] [--regenerate]   (development only)`;

export class SimulateError extends Error {}

type Mode = 'init' | 'serve' | 'interactive' | 'all' | ScenarioName;
const MODES: readonly string[] = ['init', 'serve', 'interactive', 'all', ...SCENARIOS];

const LABELS: Record<InboundRoute, string> = {
  'twilio-sms': 'SMS (Twilio)',
  'twilio-whatsapp': 'WhatsApp (Twilio)',
  whatsapp: 'WhatsApp',
  rbm: 'RCS',
  notify: 'SMS (Notify)',
};

const TICKS: Record<PhoneMessage['state'], string> = { accepted: '·', pending: '… (handset off)', sent: '✓', delivered: '✓✓', read: '✓✓ read', failed: '✗ failed', revoked: 'revoked', received: '' };

function write(line: string): void {
  process.stdout.write(`${line}\n`);
}

function describe(message: PhoneMessage): string {
  if (message.direction === 'in') {
    return `  ${message.phone} → ${message.route ? LABELS[message.route] : message.channel} → ${message.line}: "${message.text}"   hub answered ${message.hubAnswers.join(', ') || '…'}`;
  }
  const options = message.options.length > 0 ? `   [${message.options.map((option) => option.title).join(' | ')}]` : '';
  return `  ${message.phone} ← ${message.carrier} ${message.channel.toUpperCase()}: "${message.text}"${options}   ${TICKS[message.state]}`;
}

/** The hub answers WhatsApp's verify handshake only with the verify token it holds: proof it read our secrets. */
async function hubUsesSecrets(hubUrl: string, file: DevCarriersFile): Promise<'yes' | 'other_secrets' | 'unreachable'> {
  const challenge = 'clarion-simulator-check';
  const query = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': file.env.WHATSAPP_VERIFY_TOKEN ?? '', 'hub.challenge': challenge });
  try {
    const response = await fetch(`${hubUrl}/webhooks/whatsapp?${query.toString()}`, { signal: AbortSignal.timeout(3_000) });
    return response.status === 200 && (await response.text()) === challenge ? 'yes' : 'other_secrets';
  } catch {
    return 'unreachable';
  }
}

export async function runSimulate(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      hub: { type: 'string' },
      data: { type: 'string' },
      port: { type: 'string' },
      phone: { type: 'string' },
      tap: { type: 'string' },
      regenerate: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [requested = process.stdin.isTTY === true ? 'interactive' : 'serve', ...extra] = positionals;
  if (!MODES.includes(requested) || extra.length > 0) throw new SimulateError(`unknown simulate mode "${[requested, ...extra].join(' ')}"`);
  const mode = requested as Mode;
  const config = loadHubConfig(process.env, { data: values.data });
  // Generated secrets and a stand-in for the carriers have no place next to real patients.
  if (config.mode === 'production') throw new SimulateError('clarion simulate refuses to run with NODE_ENV=production');
  const hubUrl = (values.hub ?? `http://127.0.0.1:${config.port}`).replace(/\/+$/, '');
  const port = Number(values.port ?? '4611');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SimulateError('--port must be a port number');

  const simulator = await CarrierSimulator.start({ port, host: '127.0.0.1', hubUrl, allowedOrigin: new URL(hubUrl).origin });
  let file = readDevCarriers(config.dataDir);
  if (file === undefined || values.regenerate === true || file.simulatorUrl !== simulator.url) {
    mkdirSync(config.dataDir, { recursive: true });
    file = writeDevCarriers({ dataDir: config.dataDir, publicUrl: hubUrl, simulatorUrl: simulator.url });
    write(`Wrote development carrier secrets to ${join(config.dataDir, DEV_CARRIERS_FILE)} (carrier APIs → ${simulator.url}).`);
    write(`A hub already running on this data dir must be restarted to read them.`);
  }
  simulator.use(await simulatorSettings(file));
  if (mode === 'init') {
    await simulator.close();
    return 0;
  }

  const ready = await hubUsesSecrets(hubUrl, file);
  if (ready !== 'yes' && mode !== 'serve' && mode !== 'interactive') {
    await simulator.close();
    throw new SimulateError(
      ready === 'unreachable'
        ? `no hub answers at ${hubUrl}: start it with "clarion hub --data ${config.dataDir}" (or give --hub)`
        : `the hub at ${hubUrl} does not hold this data dir's simulator secrets: restart it with "clarion hub --data ${config.dataDir}"`,
    );
  }
  write(`Carrier simulator ${simulator.url} for hub ${hubUrl}${ready === 'yes' ? '' : ` (the hub is not using these secrets yet: restart it with --data ${config.dataDir})`}`);
  write(`Phone page: ${hubUrl}/dev/phone`);
  const printed = new Map<PhoneMessage, string>();
  simulator.network.onChange((message) => {
    // One line per step a person would notice: a sent message once answered, each new tick on a received one.
    if (message.direction === 'in' && message.hubAnswers.length === 0) return;
    const seen = `${message.state}/${message.hubAnswers.length}`;
    if (printed.get(message) === seen || (message.direction === 'out' && printed.get(message)?.startsWith(`${message.state}/`))) return;
    printed.set(message, seen);
    write(describe(message));
  });

  if (mode === 'serve') {
    write('Serving until Ctrl-C.');
    return new Promise<number>((resolve) => process.once('SIGINT', () => void simulator.close().then(() => resolve(0))));
  }
  if (mode === 'interactive') return interactive(simulator);
  const names: ScenarioName[] = mode === 'all' ? [...SCENARIOS] : [mode];
  try {
    for (const name of names) {
      write(`\n▶ ${name}${name === 'rcs-tap' ? ' (waiting for the hospital to reply with suggested replies: send a structured reply from the desk)' : ''}`);
      const steps = await runScenario(simulator, name, { ...(values.phone !== undefined ? { phone: values.phone } : {}), ...(values.tap !== undefined ? { tap: values.tap } : {}) });
      if (steps.some((step) => step.answers.some((answer) => answer.status >= 300))) return 1;
    }
    await simulator.settled();
    return 0;
  } finally {
    await simulator.close();
  }
}

const HELP = `commands:
  as <route> <phone> [line]   be this phone on this route (${InboundRouteSchema.options.join(', ')}); lines: martha pals ward or +44…
  <any other text>            send it from the current phone
  twice <text>                send it, delivered twice (a carrier retry)
  tap <option title>          tap a button / suggested reply on the latest message that offers it
  scenario <name>             run ${SCENARIOS.join(', ')}
  help | quit`;

async function interactive(simulator: CarrierSimulator): Promise<number> {
  let route: InboundRoute = 'whatsapp';
  let phone = '+447700900456';
  let line: string = DEMO_LINES.martha;
  const lines = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY === true });
  const stop = async () => {
    lines.close();
    await simulator.close();
    return 0;
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(0)));
  write(`\nYou are ${phone} on ${LABELS[route]} to ${line}. Type a message, or "help".`);
  for await (const input of lines) {
    const text = input.trim();
    if (text === '') continue;
    const [command = '', ...rest] = text.split(/\s+/);
    try {
      if (command === 'quit' || command === 'exit') break;
      if (command === 'help') {
        write(HELP);
      } else if (command === 'as') {
        const parsedRoute = InboundRouteSchema.safeParse(rest[0]);
        if (!parsedRoute.success || rest[1] === undefined) throw new Error('as <route> <phone> [line]');
        route = parsedRoute.data;
        phone = rest[1];
        const named = rest[2] as keyof typeof DEMO_LINES | undefined;
        line = named === undefined ? line : (DEMO_LINES[named] ?? named);
        write(`You are ${phone} on ${LABELS[route]} to ${line}.`);
      } else if (command === 'tap') {
        const title = rest.join(' ');
        const question = [...simulator.network.conversation(phone)]
          .reverse()
          .find((message) => message.direction === 'out' && message.options.some((option) => option.title.toLowerCase() === title.toLowerCase()));
        if (question === undefined) throw new Error(`no message to ${phone} offers "${title}"`);
        await tapOption(simulator, question, title);
      } else if (command === 'scenario') {
        const name = SCENARIOS.find((candidate) => candidate === rest[0]);
        if (name === undefined) throw new Error(`scenarios: ${SCENARIOS.join(', ')}`);
        await runScenario(simulator, name);
      } else if (command === 'twice') {
        await simulator.send({ route, from: phone, to: line, text: rest.join(' ') }, { copies: 2 });
      } else {
        await simulator.send({ route, from: phone, to: line, text });
      }
    } catch (error) {
      write(`  ! ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return stop();
}
