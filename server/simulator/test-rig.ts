// Test support: a real hub and the carrier simulator wired to each other the way `clarion simulate`
// wires them — generated secrets, the hub's carrier APIs pointed at the simulator, receipts signed back.
import type { CarrierConfig } from '../channels/carrier-config';
import { createGoogleTokenSource, readServiceAccountFile } from '../channels/outbound/google-access-token';
import type { Hub, HubOptions } from '../hub';
import { removeDir, startHub, tempDataDir } from '../testing/hub-harness';
import { CarrierSimulator } from './carrier-simulator';
import { simulatorSettings, writeDevCarriers, type DevCarriersFile } from './dev-carriers';

/** What Twilio signs: the address the carriers are told, not the one the test hub binds. */
export const PUBLIC_URL = 'https://clarion.example.nhs.uk';

export interface SimulatorRig {
  hub: Hub;
  simulator: CarrierSimulator;
  carriers: CarrierConfig;
  file: DevCarriersFile;
  /** An RBM access token from the simulator's Google token endpoint, as the hub's outbox would get one. */
  rbmAccessToken: () => Promise<string>;
  close(): Promise<void>;
}

/** The settings of a carrier the rig enabled; throws (failing the test) if it is not. */
export function enabledSettings<Settings>(setting: { enabled: true; settings: Settings } | { enabled: false; reason: string }): Settings {
  if (!setting.enabled) throw new Error(setting.reason);
  return setting.settings;
}

export async function startSimulatorRig(hubOptions: Omit<HubOptions, 'dataDir' | 'carriers'> = {}): Promise<SimulatorRig> {
  const dataDir = tempDataDir();
  const simulator = await CarrierSimulator.start({ receipts: { delayMs: 5 } });
  const file = writeDevCarriers({ dataDir, publicUrl: PUBLIC_URL, simulatorUrl: simulator.url });
  const settings = await simulatorSettings(file);
  simulator.use(settings);
  const hub = await startHub({ ...hubOptions, dataDir, carriers: settings.carriers });
  simulator.hubUrl = hub.url;
  const keyFile = file.env.RBM_SERVICE_ACCOUNT_FILE ?? '';
  const account = await readServiceAccountFile(keyFile);
  return {
    hub,
    simulator,
    carriers: settings.carriers,
    file,
    rbmAccessToken: createGoogleTokenSource(account, { timeoutMs: 5_000, now: Date.now }),
    async close() {
      await simulator.close();
      await hub.close();
      removeDir(dataDir);
    },
  };
}
