// The contract between the desk (renderer) and the desktop shell (Electron main, via the preload).
// Both sides parse every value with these schemas: the preload before it sends, main when it
// receives, because a compromised renderer can call ipcRenderer directly and skip the preload.
// The same interface is implemented by the browser fallback, so the desk never checks where it runs.
import { z } from 'zod';
import { IdSchema } from './domain';

/** Loopback hosts may use plain http: the traffic never leaves the machine. Everything else needs TLS. */
const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const DEFAULT_HUB_URL = 'http://127.0.0.1:4610';

/**
 * A hub address, reduced to its origin (`scheme://host:port`).
 * Credentials in the URL are refused (a classic way to disguise the real host), and plain http is
 * accepted only for loopback because the desk carries patient messages.
 * @example HubUrlSchema.parse('https://clarion.trust.nhs.uk/desk') === 'https://clarion.trust.nhs.uk'
 */
export const HubUrlSchema = z
  .string()
  .max(2048)
  .transform((text, context) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      context.addIssue({ code: 'custom', message: 'not a URL' });
      return z.NEVER;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      context.addIssue({ code: 'custom', message: 'the hub URL must be http(s)' });
      return z.NEVER;
    }
    if (url.username !== '' || url.password !== '') {
      context.addIssue({ code: 'custom', message: 'the hub URL must not carry credentials' });
      return z.NEVER;
    }
    if (url.protocol === 'http:' && !LOOPBACK_HOSTNAMES.has(url.hostname)) {
      context.addIssue({ code: 'custom', message: 'plain http is allowed only for a hub on this machine; use https' });
      return z.NEVER;
    }
    return url.origin;
  });

export const AlertKindSchema = z.enum(['martha', 'breach', 'warning', 'escalated', 'paged', 'silence_ended', 'nobody_reachable', 'reopened_by_message', 'acknowledged_timeout', 'reply_undelivered']);
export type AlertKind = z.infer<typeof AlertKindSchema>;

/**
 * Which alert a native notification is about, so that the desk can withdraw it when that alert ends: the tray's key
 * for an entry (`seq:kind:caseId`, `trayEntryKey`) or `kind:caseId` for a Martha's Rule call or overdue case. Made of
 * ids and kinds, never shown. Only its length is limited: a key refused would take its notification with it.
 */
export const AlertKeySchema = z.string().min(1).max(200);
export type AlertKey = z.infer<typeof AlertKeySchema>;

/**
 * One native alert about one case.
 *
 * Minimum necessary: `title` and `body` appear on lock screens, in notification centres and on wall
 * displays that anyone walking past can read. They must never contain patient text, names, phone
 * numbers or NHS numbers: say what happened and where ("Martha's Rule call — Ward 3",
 * "Acknowledge-by passed — case #1042"), and let the desk show the detail once someone looks.
 * The short length limits are part of that rule.
 */
export const DesktopAlertSchema = z
  .object({
    caseId: IdSchema,
    kind: AlertKindSchema,
    title: z.string().trim().min(1).max(80),
    body: z.string().trim().max(160),
    /** Urgent alerts stay on screen until someone deals with them, whatever their kind. */
    urgent: z.boolean(),
    /**
     * Names the alert for a later `withdraw`. Optional: a desk served by an older hub sends none (its notification then
     * goes only when nothing is left to acknowledge), and a newer desk sends none to an app without `withdraw`, whose
     * strict schema would refuse the field and with it the notification.
     */
    key: AlertKeySchema.optional(),
  })
  .strict();
export type DesktopAlert = z.infer<typeof DesktopAlertSchema>;

/** Kinds that always stay on screen until handled, whatever the desk says about urgency. */
export const STICKY_ALERT_KINDS: ReadonlySet<AlertKind> = new Set<AlertKind>(['martha', 'breach', 'nobody_reachable']);

/**
 * Whether an alert stays until a person deals with it. The same rule in the desktop app (native
 * notification that never times out) and the browser (`requireInteraction`), so a ward PC without
 * the app is not quieter than one with it.
 */
export function alertStaysUntilHandled(alert: DesktopAlert): boolean {
  return alert.urgent || STICKY_ALERT_KINDS.has(alert.kind);
}

/** Badges have room for two digits; beyond that the exact number stops mattering, "a lot" does not. */
export const BADGE_CAP = 99;

/** The badge for an unacknowledged count: '' for none, '1'–'99', then '99+'. */
export function badgeText(count: number): string {
  if (!Number.isFinite(count) || count <= 0) return '';
  const whole = Math.floor(count);
  return whole > BADGE_CAP ? `${BADGE_CAP}+` : String(whole);
}

/** Unacknowledged cases in the user's scope; the shell turns it into a badge. */
export const BadgeCountSchema = z.number().int().nonnegative().max(1_000_000);

/** Whether the desk's socket is live; a stale desk must never look live (DOMAIN.md hazards). */
export const ConnectionStateSchema = z.enum(['live', 'stale']);
export type ConnectionState = z.infer<typeof ConnectionStateSchema>;

export const CaseIdSchema = IdSchema;

/** The settings the desk may read. Update-server settings stay in the file, out of the renderer's reach. */
export const DesktopSettingsSchema = z
  .object({
    hubUrl: HubUrlSchema,
    startAtLogin: z.boolean(),
    /** Full-screen wall display: no window chrome, cannot be closed by accident. */
    kiosk: z.boolean(),
    /** On a wall display, bring the window above everything while an urgent alert is pending. */
    alertWindowOnTop: z.boolean(),
  })
  .strict();
export type DesktopSettings = z.infer<typeof DesktopSettingsSchema>;

/** A change the desk asks for; in the desktop app a new hubUrl is confirmed by the user in a native dialog. */
export const DesktopSettingsPatchSchema = DesktopSettingsSchema.partial().strict();
export type DesktopSettingsPatch = z.infer<typeof DesktopSettingsPatchSchema>;

export const BridgeErrorCodeSchema = z.enum(['invalid', 'forbidden', 'declined', 'unsupported', 'failed']);
export type BridgeErrorCode = z.infer<typeof BridgeErrorCodeSchema>;

export const BridgeErrorSchema = z.object({ code: BridgeErrorCodeSchema, message: z.string() }).strict();
export type BridgeError = z.infer<typeof BridgeErrorSchema>;

export type BridgeResult<T> = { ok: true; value: T } | { ok: false; error: BridgeError };

/** The schema of a result carrying `value`; used by the preload to check what main answered. */
export function bridgeResultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }).strict(),
    z.object({ ok: z.literal(false), error: BridgeErrorSchema }).strict(),
  ]);
}

/** IPC channel names. One constant each, so main and preload cannot drift apart on a typo. */
export const BridgeChannel = {
  notify: 'clarion:notify',
  setBadge: 'clarion:set-badge',
  setConnection: 'clarion:set-connection',
  flash: 'clarion:flash',
  getSettings: 'clarion:get-settings',
  setSettings: 'clarion:set-settings',
  withdraw: 'clarion:withdraw',
  /** main → renderer: the user clicked an alert; open this case. */
  focusCase: 'clarion:focus-case',
} as const;
export type BridgeChannelName = (typeof BridgeChannel)[keyof typeof BridgeChannel];

/** The schema of the single argument each renderer → main channel carries (`null` when none). */
export const BridgeRequestSchemas = {
  [BridgeChannel.notify]: DesktopAlertSchema,
  [BridgeChannel.setBadge]: BadgeCountSchema,
  [BridgeChannel.setConnection]: ConnectionStateSchema,
  [BridgeChannel.flash]: z.null(),
  [BridgeChannel.getSettings]: z.null(),
  [BridgeChannel.setSettings]: DesktopSettingsPatchSchema,
  [BridgeChannel.withdraw]: AlertKeySchema,
} as const;
export type InvokeChannel = keyof typeof BridgeRequestSchemas;

/** The schema of the `value` each channel answers with. */
export const BridgeResponseSchemas = {
  [BridgeChannel.notify]: z.null(),
  [BridgeChannel.setBadge]: z.null(),
  [BridgeChannel.setConnection]: z.null(),
  [BridgeChannel.flash]: z.null(),
  [BridgeChannel.getSettings]: DesktopSettingsSchema,
  [BridgeChannel.setSettings]: DesktopSettingsSchema,
  [BridgeChannel.withdraw]: z.null(),
} as const satisfies Record<InvokeChannel, z.ZodType>;

export type BridgeRequest<C extends InvokeChannel> = z.infer<(typeof BridgeRequestSchemas)[C]>;
export type BridgeResponse<C extends InvokeChannel> = z.output<(typeof BridgeResponseSchemas)[C]>;

/**
 * What the desk can ask of the platform it runs on: `window.clarion` in the desktop app, Web APIs
 * in a browser (renderer/src/platform/desktop-bridge.ts). Every method answers with a result value
 * and never throws, so a failed badge update cannot break the desk.
 */
export interface ClarionBridge {
  /** Show a native alert; martha, breach and urgent alerts stay until clicked or closed. */
  notify(alert: DesktopAlert): Promise<BridgeResult<null>>;
  /** Show the unacknowledged count on the taskbar/dock badge and tray (0 clears it). */
  setBadge(count: number): Promise<BridgeResult<null>>;
  /** Tell the shell whether the desk is live or stale, for the tray tooltip and icon. */
  setConnection(state: ConnectionState): Promise<BridgeResult<null>>;
  /** Flash the taskbar entry until the window is focused. */
  flash(): Promise<BridgeResult<null>>;
  getSettings(): Promise<BridgeResult<DesktopSettings>>;
  setSettings(patch: DesktopSettingsPatch): Promise<BridgeResult<DesktopSettings>>;
  /** Called with a case id when the user clicks an alert; returns a function that unsubscribes. */
  onFocusCase(listener: (caseId: string) => void): () => void;
  /**
   * Take down the notification shown for the alert `key` names (`DesktopAlert.key`), because that alert is over.
   * Nothing happens when none is on screen for it (already clicked, dismissed, replaced by a newer alert for the case).
   */
  withdraw(key: AlertKey): Promise<BridgeResult<null>>;
}

/** The method names the preload exposes on `window.clarion`. */
export const CLARION_BRIDGE_METHODS = [
  'notify',
  'setBadge',
  'setConnection',
  'flash',
  'getSettings',
  'setSettings',
  'onFocusCase',
  'withdraw',
] as const satisfies readonly (keyof ClarionBridge)[];

/**
 * Methods added after the first desktop release. The desk comes from the hub and the app is installed on the PC, so a
 * newer desk can run in an older app: it uses such an app's bridge without these rather than fall back to the
 * browser's (no tray, no taskbar badge).
 */
export const CLARION_BRIDGE_LATER_METHODS = ['withdraw'] as const satisfies readonly (typeof CLARION_BRIDGE_METHODS)[number][];

/** A `window.clarion` the desk can use: every method except perhaps the later ones. */
export type InstalledClarionBridge = Omit<ClarionBridge, (typeof CLARION_BRIDGE_LATER_METHODS)[number]> &
  Partial<Pick<ClarionBridge, (typeof CLARION_BRIDGE_LATER_METHODS)[number]>>;

/** Turns a failed parse into the error a bridge call answers with, naming the first problem only. */
export function invalidArgument(error: z.ZodError): { ok: false; error: BridgeError } {
  const first = error.issues[0];
  const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  return { ok: false, error: { code: 'invalid', message: `${where}${first?.message ?? 'invalid argument'}` } };
}
