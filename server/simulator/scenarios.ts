// The simulator's stories, shared by `clarion simulate` and the end-to-end tests: each one is what a
// patient or family member does on their phone, sent exactly as their carrier would send it.
import type { HubAnswer } from './hub-client';
import type { CarrierSimulator } from './carrier-simulator';
import { DEMO_LINES } from './dev-carriers';
import type { PhoneMessage } from './phone-network';

export const SCENARIOS = ['martha-whatsapp', 'appointment-sms', 'rcs-tap', 'opted-out'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface ScenarioStep {
  says: string;
  message: PhoneMessage;
  answers: HubAnswer[];
}

export interface ScenarioOptions {
  /** The patient's or family member's number; a 07700 900xxx number by default (reserved for fiction). */
  phone?: string;
  /** rcs-tap: how long to wait for the hospital's question with suggested replies. @default 60000 */
  waitMs?: number;
  /** rcs-tap: the suggested reply to tap (its title); the first one if not given. */
  tap?: string;
}

const DEFAULT_PHONES: Record<ScenarioName, string> = {
  'martha-whatsapp': '+447700900456',
  'appointment-sms': '+447700900457',
  'rcs-tap': '+447700900458',
  'opted-out': '+447700900459',
};

/**
 * A daughter on WhatsApp asks for a Martha's Rule review. Meta delivers at least once: the webhook
 * arrives twice, and the hub must store it once.
 */
async function marthaWhatsApp(simulator: CarrierSimulator, phone: string): Promise<ScenarioStep[]> {
  const says =
    "Hello, my dad Peter Jones is on Ward 3. He's much more confused and breathless than this morning and I don't think anyone has noticed. I'd like a Martha's Rule review please.";
  const { message, answers } = await simulator.send({ route: 'whatsapp', from: phone, to: DEMO_LINES.martha, text: says, name: 'Aisha Jones' }, { copies: 2 });
  return [{ says, message, answers }];
}

/** A patient answers an appointment reminder by SMS through Twilio. */
async function appointmentSms(simulator: CarrierSimulator, phone: string): Promise<ScenarioStep[]> {
  const says = 'Yes please';
  const { message, answers } = await simulator.send({ route: 'twilio-sms', from: phone, to: DEMO_LINES.ward, text: says });
  return [{ says, message, answers }];
}

/**
 * On RCS the patient asks to change an appointment; when the hospital answers with suggested replies,
 * the phone taps one. The tap is a suggestionResponse carrying the postbackData the hub chose.
 */
async function rcsTap(simulator: CarrierSimulator, phone: string, options: ScenarioOptions): Promise<ScenarioStep[]> {
  const says = 'Can I move my appointment on Thursday?';
  const first = await simulator.send({ route: 'rbm', from: phone, to: DEMO_LINES.ward, text: says });
  const steps: ScenarioStep[] = [{ says, ...first }];
  const question = await simulator.network.waitFor(
    (message) => message.direction === 'out' && message.carrier === 'rbm' && message.phone === phone && message.options.length > 0,
    options.waitMs ?? 60_000,
  );
  steps.push(await tapOption(simulator, question, options.tap));
  return steps;
}

export async function tapOption(simulator: CarrierSimulator, question: PhoneMessage, title?: string): Promise<ScenarioStep> {
  const option = title === undefined ? question.options[0] : question.options.find((candidate) => candidate.title.toLowerCase() === title.toLowerCase());
  if (option === undefined) throw new Error(`the message offers no option "${title ?? ''}"`);
  const { message, answers } = await simulator.tap(question.providerMessageId, option.id);
  return { says: `[tapped] ${option.title}`, message, answers };
}

/**
 * A patient texts STOP. Twilio opts the number out itself (later sends to it fail with 21610) and
 * still forwards the message, which the hub records as an opt-out on every channel.
 */
async function optedOut(simulator: CarrierSimulator, phone: string): Promise<ScenarioStep[]> {
  const says = 'STOP';
  const { message, answers } = await simulator.send({ route: 'twilio-sms', from: phone, to: DEMO_LINES.ward, text: says });
  return [{ says, message, answers }];
}

export async function runScenario(simulator: CarrierSimulator, name: ScenarioName, options: ScenarioOptions = {}): Promise<ScenarioStep[]> {
  const phone = options.phone ?? DEFAULT_PHONES[name];
  switch (name) {
    case 'martha-whatsapp':
      return marthaWhatsApp(simulator, phone);
    case 'appointment-sms':
      return appointmentSms(simulator, phone);
    case 'rcs-tap':
      return rcsTap(simulator, phone, options);
    case 'opted-out':
      return optedOut(simulator, phone);
    default: {
      const unexpected: never = name;
      throw new Error(`unknown scenario ${String(unexpected)}`);
    }
  }
}

export function defaultPhone(name: ScenarioName): string {
  return DEFAULT_PHONES[name];
}
