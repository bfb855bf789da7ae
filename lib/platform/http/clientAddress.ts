import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** `::ffff:127.0.0.1` and `127.0.0.1` are one client. */
function plain(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/**
 * The address a request came from, for limits per client. X-Forwarded-For is believed only from the
 * configured proxies: read from the right, the first hop that is not one of them is the client (any hop
 * further left was written by the client itself and proves nothing).
 */
export function clientAddress(req: IncomingMessage, trustedProxies: ReadonlySet<string>): string {
  let address = plain(req.socket.remoteAddress ?? 'unknown');
  if (!trustedProxies.has(address)) return address;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((h) => plain(h.trim()))
    .filter(Boolean);
  while (hops.length > 0 && trustedProxies.has(address)) address = hops.pop()!;
  return address;
}
