// Which backends the console may talk to: encrypted (https/wss) anywhere; unencrypted (http/ws) only on this
// machine (loopback), unless the person explicitly allowed insecure backends (web host --allow-insecure-backend,
// the desktop setting allowInsecureBackend). A session token must never cross a network in the clear.

/** 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  if (/^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return !!m && Number(m[1]) === 127 && m.slice(2).every((n) => Number(n) <= 255);
}

/** Null when the console may connect to this backend URL; otherwise the reason, in words for the banner. */
export function backendUrlProblem(url: string, allowInsecure: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `The backend address "${url}" is not a URL.`;
  }
  if (parsed.protocol === 'https:' || parsed.protocol === 'wss:') return null;
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'ws:') {
    return `The backend address must start with https:// (or http:// on this machine), not ${parsed.protocol}//.`;
  }
  if (isLoopbackHost(parsed.hostname) || allowInsecure) return null;
  return (
    `Refusing an unencrypted connection to ${parsed.host}: passwords and session tokens would cross the network ` +
    `in the clear. Use https:// (the backend's --tls-cert/--tls-key), or allow insecure backends ` +
    `(web host: --allow-insecure-backend; desktop: the allowInsecureBackend setting).`
  );
}
