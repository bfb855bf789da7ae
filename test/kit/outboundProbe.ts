/**
 * Run as its own process: records every connection and name lookup this process attempts to anything but this
 * machine, while it builds the gateway the project ships and lets it sit; prints them as JSON on its last line.
 * What the gateway must never do is reach out where nobody configured it to (a vendor's usage reporting, a cloud
 * metadata endpoint).
 */
import dns from 'node:dns';
import net from 'node:net';

const LOCAL = /^(127\.|::1$|localhost$|::ffff:127\.)/;
const attempts = new Set<string>();
const note = (what: string, host: unknown) => {
  if (typeof host === 'string' && host !== '' && !LOCAL.test(host)) attempts.add(`${what} ${host}`);
};

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  const first = args[0];
  note('connect', typeof first === 'object' && first !== null ? (first as { host?: string }).host : args[1]);
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof connect;
const lookup = dns.lookup;
(dns as { lookup: unknown }).lookup = (host: string, ...rest: unknown[]) => {
  note('lookup', host);
  return (lookup as (...a: unknown[]) => unknown)(host, ...rest);
};
const promisesLookup = dns.promises.lookup;
(dns.promises as { lookup: unknown }).lookup = (host: string, ...rest: unknown[]) => {
  note('lookup', host);
  return (promisesLookup as (...a: unknown[]) => unknown)(host, ...rest);
};

delete process.env.APOLLO_TELEMETRY_DISABLED;
const { createGateway } = await import('../../gateway/server.js');
const { supergraphSdl } = await import('../../schema/files.js');
const { proofKeys } = await import('../../lib/platform/auth/gatewayProof.js');
const { MemoryRateLimiter } = await import('../../lib/platform/ratelimit/index.js');
const { OperationRegistry } = await import('../../gateway/pipeline/registeredOperations.js');
const gateway = createGateway({
  supergraphSdl: supergraphSdl(),
  subgraphUrls: { listings: 'http://127.0.0.1:9/graphql', enforcement: 'http://127.0.0.1:9/graphql', repair: 'http://127.0.0.1:9/graphql' },
  verifier: {
    verify: async () => {
      throw new Error('unused');
    },
  },
  proof: proofKeys('x'.repeat(32)),
  queryLog: {} as never,
  rateLimiter: new MemoryRateLimiter(),
  callerLimits: (await import('../../lib/platform/limits.js')).DEFAULT_LIMITS,
  costMode: 'enforce',
  subgraphTimeoutsMs: { listings: 1000, enforcement: 1000, repair: 1000 },
  personLookups: { perRequest: 1, perMinute: 1 },
  trustedProxies: new Set(),
  queryLogTimeoutMs: 1000,
  maskHashKey: 'k',
  operations: new OperationRegistry(new Map()),
  registeredOperationsOnly: new Set(),
});
await gateway.start();
await new Promise((resolve) => setTimeout(resolve, Number(process.env.PROBE_MS ?? 3000)));
await gateway.stop();
console.log(JSON.stringify([...attempts]));
process.exit(0);
