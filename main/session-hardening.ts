// The desk session: our Content-Security-Policy on every hub response, and every permission
// refused except notifications for the hub. Electron grants all permissions without a handler.
import type { Session } from 'electron';
import { withContentSecurityPolicy } from './csp';
import { isPermissionGranted } from './permission-policy';

export function hardenSession(session: Session, hubOrigin: () => string, log: (line: string) => void): void {
  // No URL filter: the hub origin can change at run time, so the pure function decides per response.
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, details.url, hubOrigin()) });
  });

  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = isPermissionGranted({ permission, requestingUrl: details.requestingUrl }, hubOrigin());
    if (!granted) log(`[permissions] refused ${permission}`);
    callback(granted);
  });

  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionGranted({ permission, requestingUrl: requestingOrigin }, hubOrigin()),
  );

  // USB, HID, serial and Bluetooth devices: never.
  session.setDevicePermissionHandler(() => false);
}
