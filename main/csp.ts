// The Content-Security-Policy the shell adds to every hub response. The hub may send its own policy
// too; browsers enforce every policy they receive, so ours can only make the page stricter.

/** The WebSocket origin matching the hub, which `'self'` does not cover in every Chromium version. */
function socketOrigin(hubOrigin: string): string {
  const url = new URL(hubOrigin);
  return `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
}

export function contentSecurityPolicy(hubOrigin: string): string {
  return [
    "default-src 'self'",
    // No 'unsafe-eval' and no 'unsafe-inline' for scripts: an injected string can never become code.
    "script-src 'self'",
    // Inline styles stay allowed (as in Signal Desktop): charts and virtual lists set them, and CSS
    // cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${socketOrigin(hubOrigin)}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "worker-src 'self'",
  ].join('; ');
}

export type ResponseHeaders = Record<string, string[]>;

/**
 * The response headers with our policy added, for responses from the hub origin only: other
 * responses (there should be none) are left alone rather than guessed at.
 * Header names arrive in whatever case the server used, so an existing policy is found case-insensitively.
 */
export function withContentSecurityPolicy(headers: ResponseHeaders | undefined, responseUrl: string, hubOrigin: string): ResponseHeaders {
  const result: ResponseHeaders = { ...headers };
  let origin: string;
  try {
    origin = new URL(responseUrl).origin;
  } catch {
    return result;
  }
  if (origin !== hubOrigin) return result;
  const policy = contentSecurityPolicy(hubOrigin);
  const existingName = Object.keys(result).find((name) => name.toLowerCase() === 'content-security-policy');
  if (existingName === undefined) {
    result['Content-Security-Policy'] = [policy];
  } else {
    result[existingName] = [...(result[existingName] ?? []), policy];
  }
  return result;
}
