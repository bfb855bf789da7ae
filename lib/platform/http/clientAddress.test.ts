import type { IncomingMessage } from 'node:http';
import { clientAddress } from './clientAddress.js';

const request = (peer: string, forwarded?: string) =>
  ({ socket: { remoteAddress: peer }, headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } }) as unknown as IncomingMessage;

describe('the client address for limits', () => {
  const proxies = new Set(['10.0.0.5', '10.0.0.6']);

  test('a peer that is not a trusted proxy is the client, whatever X-Forwarded-For claims', () => {
    expect(clientAddress(request('203.0.113.9', '198.51.100.1'), proxies)).toBe('203.0.113.9');
    expect(clientAddress(request('::ffff:203.0.113.9'), proxies)).toBe('203.0.113.9');
  });

  test('behind trusted proxies: the first hop from the right that is not one of them', () => {
    expect(clientAddress(request('10.0.0.5', '198.51.100.1'), proxies)).toBe('198.51.100.1');
    expect(clientAddress(request('10.0.0.5', '198.51.100.1, 10.0.0.6'), proxies)).toBe('198.51.100.1');
    // a client that writes its own header gains nothing: the proxy appended the real address
    expect(clientAddress(request('10.0.0.5', '1.2.3.4, 198.51.100.1'), proxies)).toBe('198.51.100.1');
  });

  test('a trusted proxy that forwards no header is itself the client', () => {
    expect(clientAddress(request('10.0.0.5'), proxies)).toBe('10.0.0.5');
  });
});
