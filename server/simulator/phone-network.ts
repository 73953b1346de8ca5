// What the simulated phones have seen: every message a phone sent to the hub and every message the
// hub sent to a phone, with the delivery state the phone reported. In memory: a simulator session.
import type { CarrierName } from '../channels/carrier-config';
import type { InboundRoute, ReceiptState } from './types';

export type PhoneChannel = 'sms' | 'whatsapp' | 'rcs';

export interface ReplyOption {
  id: string;
  title: string;
}

export interface PhoneMessage {
  /** `in`: the phone sent it to the hospital; `out`: the hospital sent it to the phone. */
  direction: 'in' | 'out';
  carrier: CarrierName;
  channel: PhoneChannel;
  /** The patient's number (E.164). */
  phone: string;
  /** The hospital line or sender (E.164 where the carrier gives one). */
  line: string;
  text: string;
  /** Buttons, list rows or suggested replies the phone can tap (outbound only). */
  options: ReplyOption[];
  providerMessageId: string;
  /** Outbound: how far the phone got with it; inbound: the hub's HTTP answers to each delivery. */
  state: 'accepted' | ReceiptState | 'revoked' | 'pending' | 'received';
  hubAnswers: number[];
  at: number;
  /** Outbound via Twilio: the sender and callback the hub gave; via Notify: its reference. */
  twilio?: { from: string; statusCallback: string; whatsapp: boolean };
  reference?: string | null;
  route?: InboundRoute;
}

type Listener = (message: PhoneMessage) => void;

export class PhoneNetwork {
  readonly messages: PhoneMessage[] = [];
  private readonly listeners = new Set<Listener>();

  record(message: PhoneMessage): PhoneMessage {
    this.messages.push(message);
    this.changed(message);
    return message;
  }

  changed(message: PhoneMessage): void {
    for (const listener of this.listeners) listener(message);
  }

  /** Calls `listener` for every new or changed message; returns the way to stop. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  conversation(phone: string): PhoneMessage[] {
    return this.messages.filter((message) => message.phone === phone);
  }

  find(providerMessageId: string): PhoneMessage | undefined {
    return this.messages.find((message) => message.providerMessageId === providerMessageId);
  }

  /** Resolves with the first message (held now or arriving later) that matches, or rejects after the timeout. */
  waitFor(predicate: (message: PhoneMessage) => boolean, timeoutMs = 5_000): Promise<PhoneMessage> {
    return new Promise((resolve, reject) => {
      const held = this.messages.find(predicate);
      if (held !== undefined) return resolve(held);
      const listener: Listener = (message) => {
        if (!predicate(message)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(message);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`no matching phone message within ${timeoutMs} ms (held ${this.messages.length})`));
      }, timeoutMs);
      this.listeners.add(listener);
    });
  }
}
