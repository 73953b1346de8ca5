// The desk's only door to the desktop: `window.clarion`, a handful of named calls. Runs sandboxed
// with context isolation, so it is bundled into one CommonJS file and may require only 'electron'.
// It validates every argument before sending (main validates again: a compromised page can reach
// ipcRenderer only through here, but main does not rely on that) and every answer before returning.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  BridgeChannel,
  BridgeRequestSchemas,
  BridgeResponseSchemas,
  bridgeResultSchema,
  CaseIdSchema,
  invalidArgument,
  type BridgeResponse,
  type BridgeResult,
  type ClarionBridge,
  type InvokeChannel,
} from '../shared/bridge';

/** Main answers at once except when it asks the user something (a hub change), which may take a while. */
const TIMEOUT_MS: Record<InvokeChannel, number> = {
  [BridgeChannel.notify]: 10_000,
  [BridgeChannel.setBadge]: 10_000,
  [BridgeChannel.setConnection]: 10_000,
  [BridgeChannel.flash]: 10_000,
  [BridgeChannel.getSettings]: 10_000,
  [BridgeChannel.setSettings]: 300_000,
  [BridgeChannel.withdraw]: 10_000,
};

function failed(message: string): { ok: false; error: { code: 'failed'; message: string } } {
  return { ok: false, error: { code: 'failed', message } };
}

async function invoke<C extends InvokeChannel>(channel: C, argument: unknown): Promise<BridgeResult<BridgeResponse<C>>> {
  const request = BridgeRequestSchemas[channel].safeParse(argument);
  if (!request.success) return invalidArgument(request.error);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS[channel]);
    });
    const answer: unknown = await Promise.race([ipcRenderer.invoke(channel, request.data), timeout]);
    if (answer === 'timeout') return failed(`${channel} timed out`);
    const parsed = bridgeResultSchema(BridgeResponseSchemas[channel]).safeParse(answer);
    if (!parsed.success) return failed(`unexpected answer on ${channel}`);
    // The schema for C produced this value, so it is a BridgeResponse<C>; TypeScript cannot follow
    // a schema looked up by a generic key.
    return parsed.data as BridgeResult<BridgeResponse<C>>;
  } catch {
    return failed(`${channel} failed`);
  } finally {
    clearTimeout(timer);
  }
}

const bridge: ClarionBridge = {
  notify: (alert) => invoke(BridgeChannel.notify, alert),
  setBadge: (count) => invoke(BridgeChannel.setBadge, count),
  setConnection: (state) => invoke(BridgeChannel.setConnection, state),
  flash: () => invoke(BridgeChannel.flash, null),
  getSettings: () => invoke(BridgeChannel.getSettings, null),
  setSettings: (patch) => invoke(BridgeChannel.setSettings, patch),
  withdraw: (key) => invoke(BridgeChannel.withdraw, key),
  onFocusCase(listener) {
    if (typeof listener !== 'function') throw new TypeError('onFocusCase needs a function');
    // The IPC event object never reaches the page: it carries `sender`, which would leak ipcRenderer.
    const handler = (_event: IpcRendererEvent, caseId: unknown): void => {
      const parsed = CaseIdSchema.safeParse(caseId);
      if (parsed.success) listener(parsed.data);
    };
    ipcRenderer.on(BridgeChannel.focusCase, handler);
    return () => {
      ipcRenderer.removeListener(BridgeChannel.focusCase, handler);
    };
  },
};

contextBridge.exposeInMainWorld('clarion', bridge);
