// Where the desk window may go. The window shows one thing, the hub's desk; anything else is either
// a link a person clicked (offered to the system browser after a confirmation) or refused outright.
// Patient text is untrusted (ARCHITECTURE.md invariant 6), so a link in a message must never load
// inside the window that holds the preload bridge.

export type NavigationDecision =
  /** Same origin as the hub: the desk moving within itself. */
  | { action: 'allow' }
  /** Another http(s) origin: may open in the system browser, only after the user confirms. */
  | { action: 'open-externally'; url: string }
  | { action: 'deny'; reason: string };

/** The URL parsed, or null. `new URL` is the same WHATWG parser Chromium uses, so we judge what it will load. */
function parse(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** True only for a URL whose origin is exactly the hub's; credentials in the URL never count as the hub. */
export function isHubUrl(text: string, hubOrigin: string): boolean {
  const url = parse(text);
  if (url === null) return false;
  if (url.username !== '' || url.password !== '') return false;
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === hubOrigin;
}

/** Decides a navigation, redirect or window.open target for the desk window. */
export function decideNavigation(text: string, hubOrigin: string): NavigationDecision {
  const url = parse(text);
  if (url === null) return { action: 'deny', reason: 'not a valid URL' };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { action: 'deny', reason: `scheme ${url.protocol} is not allowed` };
  }
  // `https://hub@evil.example` reads like the hub but goes to evil.example; never offer it.
  if (url.username !== '' || url.password !== '') {
    return { action: 'deny', reason: 'URLs with credentials are not opened' };
  }
  if (url.origin === hubOrigin) return { action: 'allow' };
  return { action: 'open-externally', url: url.href };
}

/**
 * The confirmation text for an external link. The host is shown on its own line because it is the
 * part people must check, and punycode (`xn--`) is shown as parsed so look-alike letters stand out.
 */
export function describeExternalLink(text: string): { message: string; detail: string } {
  const url = new URL(text);
  return {
    message: `Open ${url.host} in your web browser?`,
    detail: `This link leads outside Clarion:\n\n${url.href}\n\nOnly continue if you trust where it came from. Links in patient messages are not checked.`,
  };
}
