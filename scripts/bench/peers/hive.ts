import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, type GatewayConfigSupergraph, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { Transport, TransportGetSubgraphExecutorOptions } from '@graphql-mesh/transport-common';
import { buildHTTPExecutor, type HTTPExecutorOptions } from '@graphql-tools/executor-http';
import type { Caller } from '../../../lib/contracts/caller.js';
import { PROOF_HEADER, type ProofKeys } from '../../../lib/platform/auth/gatewayProof.js';
import type { SubgraphName } from '../../../schema/files.js';
import type { RunningPeer } from './ours.js';

/** A module that may not be installed: imported by a name TypeScript does not resolve, so its absence is found at run time. */
async function optionalImport(name: string): Promise<Record<string, unknown> | Error> {
  try {
    return (await import(name)) as Record<string, unknown>;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * The "http" transport. Hive Gateway loads `@graphql-mesh/transport-http` for it, which @graphql-hive/gateway-runtime does
 * not depend on (the full `@graphql-hive/gateway` does); when it is not installed, the same thing that package does:
 * `buildHTTPExecutor` (@graphql-tools/executor-http, a dependency of the runtime) on the entry's location and options,
 * with the gateway's fetch (the one its `onFetch` hooks wrap).
 */
async function httpTransport(): Promise<{ transport: Transport; from: string }> {
  const mesh = await optionalImport('@graphql-mesh/transport-http');
  if (!(mesh instanceof Error)) {
    const transport = (mesh.default ?? mesh) as Transport;
    if (typeof transport.getSubgraphExecutor === 'function') return { transport, from: '@graphql-mesh/transport-http' };
  }
  const transport: Transport = {
    getSubgraphExecutor: (payload: TransportGetSubgraphExecutorOptions) =>
      buildHTTPExecutor({
        ...(payload.transportEntry.location ? { endpoint: payload.transportEntry.location } : {}),
        ...(payload.transportEntry.options as HTTPExecutorOptions | undefined),
        ...(payload.getDisposeReason ? { getDisposeReason: payload.getDisposeReason } : {}),
        ...(payload.fetch ? { fetch: payload.fetch as unknown as NonNullable<HTTPExecutorOptions['fetch']> } : {}),
      }),
  };
  return { transport, from: 'buildHTTPExecutor, as @graphql-mesh/transport-http does (that package is not installed)' };
}

/** Whether Hive's Rust query planner (`@graphql-hive/router-runtime`) loads on this Node: its handler, or why not. */
export async function rustPlanner(): Promise<{ handler: NonNullable<GatewayConfigSupergraph['unifiedGraphHandler']> } | { reason: string }> {
  const runtime = await optionalImport('@graphql-hive/router-runtime');
  if (runtime instanceof Error) return { reason: `@graphql-hive/router-runtime does not load: ${runtime.message.split('\n')[0]}` };
  const handler = runtime.unifiedGraphHandler;
  if (typeof handler !== 'function') return { reason: '@graphql-hive/router-runtime loaded but exports no unifiedGraphHandler' };
  return { handler: handler as NonNullable<GatewayConfigSupergraph['unifiedGraphHandler']> };
}

function headerRecord(headers: unknown): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers.entries());
  if (Array.isArray(headers)) return Object.fromEntries(headers as [string, string][]);
  return { ...(headers as Record<string, string>) };
}

/**
 * Hive Gateway (@graphql-hive/gateway-runtime) served by node:http: the supergraph SDL, the subgraphs' addresses of this
 * run as transport entries, and the proof our subgraphs require, added in a plugin's `onFetch`: the hook of the fetch
 * itself, after Hive has printed and serialised the subgraph request (and after its in-flight deduplication: one proof
 * per fetch actually sent, never shared), so the proof is made from the exact document and variables in that body.
 */
export async function startHive(options: {
  supergraphSdl: string;
  subgraphUrls: Record<SubgraphName, string>;
  keys: ProofKeys;
  caller: Caller;
  host: string;
  /** In-flight deduplication of identical subgraph requests (executor-http's `deduplicateInflightRequests`, on by default). */
  dedupe: boolean;
  unifiedGraphHandler?: GatewayConfigSupergraph['unifiedGraphHandler'];
}): Promise<RunningPeer> {
  const { keys, caller } = options;
  const audienceOf = new Map(Object.entries(options.subgraphUrls).map(([name, url]) => [url, name]));
  const proof: GatewayPlugin = {
    onFetch({ url, options: init, setOptions }) {
      const audience = audienceOf.get(url);
      if (!audience) return;
      if (typeof init.body !== 'string') throw new Error(`a request to the ${audience} subgraph without a JSON body`);
      const { query, variables } = JSON.parse(init.body) as { query?: string; variables?: Record<string, unknown> | null };
      const signed = keys.sign(caller, { audience, query: query ?? '', variables: variables ?? null });
      setOptions({ ...init, headers: { ...headerRecord(init.headers), [PROOF_HEADER]: signed } });
    },
  };
  const { transport, from } = await httpTransport();
  const runtime = createGatewayRuntime({
    supergraph: options.supergraphSdl,
    transports: { http: transport },
    transportEntries: {
      ...Object.fromEntries(Object.entries(options.subgraphUrls).map(([name, location]) => [name, { location }])),
      ...(options.dedupe ? {} : { '*.http': { options: { deduplicateInflightRequests: false } } }),
    },
    plugins: () => [proof],
    ...(options.unifiedGraphHandler ? { unifiedGraphHandler: options.unifiedGraphHandler } : {}),
    logging: 'error',
    landingPage: false,
    graphiql: false,
  });
  const server = createServer(runtime);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}/graphql`,
    notes: [
      `transport "http": ${from}`,
      `proof: a plugin's onFetch signs each subgraph fetch from its serialised body`,
      `in-flight deduplication of subgraph requests ${options.dedupe ? 'on (default)' : 'off (deduplicateInflightRequests: false)'}`,
    ],
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await runtime.dispose();
    },
  };
}
