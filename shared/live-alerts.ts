// The notifications a desk has on screen, one per case: the desktop app's (main/native-alerts.ts) and, in a browser,
// the Web Notifications (renderer/src/platform/desktop-bridge.ts) follow the same rules, so they share this record.

/** Something on screen that can be taken down: a native notification in main, a Web Notification in a browser. */
export interface Closable {
  close(): void;
}

/**
 * The alerts currently on screen, one per case. It holds a reference to each notification (Electron
 * drops click handlers of notifications that are garbage-collected), replaces an older alert for
 * the same case so details are never stale, takes one down when the desk says its alert is over
 * (by the key the desk gave it), and takes everything down when nothing is left to acknowledge or
 * the page that raised them is gone.
 */
export class LiveAlerts<Handle extends Closable> {
  readonly #byCase = new Map<string, { handle: Handle; sticky: boolean; key: string | undefined }>();

  /** `key`: the alert's key from the desk (`DesktopAlert.key`); without one it can only go with the rest. */
  show(caseId: string, handle: Handle, sticky: boolean, key?: string): void {
    this.#byCase.get(caseId)?.handle.close();
    this.#byCase.set(caseId, { handle, sticky, key });
  }

  /** Forget an alert the user clicked or dismissed; a stale handle for a replaced alert is ignored. */
  release(caseId: string, handle: Handle): void {
    if (this.#byCase.get(caseId)?.handle === handle) this.#byCase.delete(caseId);
  }

  /**
   * Takes down the notification for the alert `key` names, if it is still on screen; true if one went. A key whose
   * notification was clicked, dismissed or replaced by a newer alert for its case matches nothing: the newer alert is
   * still running and stays.
   */
  withdraw(key: string): boolean {
    for (const [caseId, entry] of this.#byCase) {
      if (entry.key !== key) continue;
      this.#byCase.delete(caseId);
      entry.handle.close();
      return true;
    }
    return false;
  }

  closeAll(): void {
    for (const { handle } of this.#byCase.values()) handle.close();
    this.#byCase.clear();
  }

  get stickyCount(): number {
    let count = 0;
    for (const entry of this.#byCase.values()) if (entry.sticky) count += 1;
    return count;
  }

  get size(): number {
    return this.#byCase.size;
  }
}
