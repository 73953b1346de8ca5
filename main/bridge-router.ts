// Main's side of the preload bridge, free of Electron so it can be tested: check the sender, parse
// the argument with the channel's schema, call the one service that channel names, and answer with
// a result value. There is deliberately no generic pass-through: an unknown channel is refused.
import type { z } from 'zod';
import {
  BridgeChannel,
  BridgeRequestSchemas,
  invalidArgument,
  type AlertKey,
  type BridgeResult,
  type ConnectionState,
  type DesktopAlert,
  type DesktopSettings,
  type DesktopSettingsPatch,
  type InvokeChannel,
} from '../shared/bridge';
import { checkSender, type IpcSender, type TrustedSender } from './ipc-sender';
import { describeError } from './json-file';

export interface BridgeServices {
  notify(alert: DesktopAlert): void;
  /** Takes down the notification for an alert that is over; nothing if none is on screen for it. */
  withdraw(key: AlertKey): void;
  setBadge(count: number): void;
  setConnection(state: ConnectionState): void;
  flash(): void;
  getSettings(): DesktopSettings;
  /** May be declined by the user (a hub change is confirmed in a native dialog). */
  setSettings(patch: DesktopSettingsPatch): Promise<BridgeResult<DesktopSettings>>;
}

export const INVOKE_CHANNELS = Object.keys(BridgeRequestSchemas) as InvokeChannel[];

export type BridgeRoute = (channel: string, sender: IpcSender, argument: unknown) => Promise<BridgeResult<unknown>>;

const done: BridgeResult<null> = { ok: true, value: null };

export function createBridgeRouter(services: BridgeServices, trusted: () => TrustedSender, log: (line: string) => void): BridgeRoute {
  function parse<S extends z.ZodType>(schema: S, argument: unknown): { ok: true; value: z.output<S> } | ReturnType<typeof invalidArgument> {
    const parsed = schema.safeParse(argument);
    return parsed.success ? { ok: true, value: parsed.data } : invalidArgument(parsed.error);
  }

  async function dispatch(channel: InvokeChannel, argument: unknown): Promise<BridgeResult<unknown>> {
    switch (channel) {
      case BridgeChannel.notify: {
        const alert = parse(BridgeRequestSchemas[channel], argument);
        if (!alert.ok) return alert;
        services.notify(alert.value);
        return done;
      }
      case BridgeChannel.withdraw: {
        const key = parse(BridgeRequestSchemas[channel], argument);
        if (!key.ok) return key;
        services.withdraw(key.value);
        return done;
      }
      case BridgeChannel.setBadge: {
        const count = parse(BridgeRequestSchemas[channel], argument);
        if (!count.ok) return count;
        services.setBadge(count.value);
        return done;
      }
      case BridgeChannel.setConnection: {
        const state = parse(BridgeRequestSchemas[channel], argument);
        if (!state.ok) return state;
        services.setConnection(state.value);
        return done;
      }
      case BridgeChannel.flash: {
        const nothing = parse(BridgeRequestSchemas[channel], argument);
        if (!nothing.ok) return nothing;
        services.flash();
        return done;
      }
      case BridgeChannel.getSettings: {
        const nothing = parse(BridgeRequestSchemas[channel], argument);
        if (!nothing.ok) return nothing;
        return { ok: true, value: services.getSettings() };
      }
      case BridgeChannel.setSettings: {
        const patch = parse(BridgeRequestSchemas[channel], argument);
        if (!patch.ok) return patch;
        return services.setSettings(patch.value);
      }
      default:
        throw new Error(`missing case: ${String(channel satisfies never)}`);
    }
  }

  return async (channel, sender, argument) => {
    if (!(INVOKE_CHANNELS as string[]).includes(channel)) {
      return { ok: false, error: { code: 'invalid', message: `unknown channel ${channel}` } };
    }
    const verdict = checkSender(sender, trusted());
    if (!verdict.trusted) {
      // Logged with the reason and no payload: the payload is untrusted and could carry patient text.
      log(`[bridge] refused ${channel}: ${verdict.reason}`);
      return { ok: false, error: { code: 'forbidden', message: 'this page may not use the desktop bridge' } };
    }
    try {
      return await dispatch(channel as InvokeChannel, argument);
    } catch (error) {
      log(`[bridge] ${channel} failed: ${describeError(error)}`);
      return { ok: false, error: { code: 'failed', message: `${channel} failed` } };
    }
  };
}
