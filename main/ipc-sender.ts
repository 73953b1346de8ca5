// Who may use the bridge. The preload exists only in the desk window, but a compromised or
// navigated frame could still send IPC; main therefore checks every message's sender itself.
import { isHubUrl } from './navigation-policy';

export interface IpcSender {
  /** `event.sender.id`: the webContents that sent the message. */
  webContentsId: number;
  /** `event.senderFrame`; null when the frame has gone (navigated away or destroyed). */
  frame: { url: string; isMainFrame: boolean } | null;
}

export interface TrustedSender {
  hubOrigin: string;
  /** The desk window's webContents id; null before the window exists. */
  deskWebContentsId: number | null;
}

export type SenderVerdict = { trusted: true } | { trusted: false; reason: string };

export function checkSender(sender: IpcSender, trusted: TrustedSender): SenderVerdict {
  if (trusted.deskWebContentsId === null || sender.webContentsId !== trusted.deskWebContentsId) {
    return { trusted: false, reason: 'not the desk window' };
  }
  if (sender.frame === null) return { trusted: false, reason: 'sender frame is gone' };
  // Only the top frame: the desk has no iframes, so one asking is not the desk.
  if (!sender.frame.isMainFrame) return { trusted: false, reason: 'sent from a subframe' };
  if (!isHubUrl(sender.frame.url, trusted.hubOrigin)) return { trusted: false, reason: 'frame is not on the hub origin' };
  return { trusted: true };
}
