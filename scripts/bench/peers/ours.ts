import { randomBytes } from 'node:crypto';
import type { Config } from '../../../lib/platform/config.js';
import type { Database } from '../../../lib/platform/db/index.js';
import { serve } from '../../../lib/platform/http/serve.js';
import type { SubgraphName } from '../../../schema/files.js';
import { gatewayOptions, openGatewayRuntime } from '../../../gateway/runtime.js';
import { createGateway, type GatewayOptions } from '../../../gateway/server.js';

export interface RunningPeer {
  url: string;
  /** What this gateway needed to answer the bench's requests (printed with the tables). */
  notes: string[];
  stop(): Promise<void>;
}

export interface RunningOurs extends RunningPeer {
  /** The gateway's own query log (records appended per department read of personal data). */
  logDb: Database;
}

/**
 * Our gateway as scripts/system.ts assembles it (the deployed createGateway with its runtime: token verifier, rate
 * limiter, query log on an in-memory PGlite of its own), in front of subgraphs that are already running. No supergraph
 * watcher: the bench serves one supergraph.
 */
export async function startOurs(
  config: Config,
  proofSecret: string,
  subgraphUrls: Record<SubgraphName, string>,
  policy?: GatewayOptions['policy'],
): Promise<RunningOurs> {
  const runtime = await openGatewayRuntime(config, proofSecret, { logDatabase: `bench_peers_gateway_${randomBytes(5).toString('hex')}`, inMemory: true });
  const cleanups: (() => Promise<void>)[] = [() => runtime.close()];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const gateway = createGateway(gatewayOptions(config, runtime, subgraphUrls, policy));
    await gateway.start();
    cleanups.push(() => gateway.stop());
    const listening = await serve(gateway.current, {
      service: 'gateway',
      port: 0,
      host: config.host,
      cors: { origins: config.corsOrigins },
      admit: gateway.admit,
      context: gateway.context,
      drainTimeoutMs: config.drainTimeoutMs,
    });
    cleanups.push(() => listening.close());
    return { url: listening.url, logDb: runtime.db, notes: [], stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
