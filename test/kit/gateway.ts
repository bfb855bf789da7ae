import { gatewayOptions, openGatewayRuntime } from '../../gateway/runtime.js';
import { createGateway } from '../../gateway/server.js';
import type { QueryLog } from '../../gateway/audit/queryLog.js';
import { dropPostgresSchema } from '../../lib/platform/db/index.js';
import { serve } from '../../lib/platform/http/serve.js';
import type { SubgraphName } from '../../schema/files.js';
import { uniqueName, type Backend } from './backends.js';
import { testConfig } from './system.js';

export interface TestGateway {
  url: string;
  queryLog: QueryLog;
  stop(): Promise<void>;
}

/**
 * A gateway of its own in front of the given subgraph addresses (a recording proxy, a closed port), with its own
 * query log: for tests of what travels between the gateway and the subgraphs. `env` must hold the system's
 * GATEWAY_PROOF_SECRET for the subgraphs to answer it.
 */
export async function startGateway(backend: Backend, env: Record<string, string>, subgraphUrls: Record<SubgraphName, string>): Promise<TestGateway> {
  const config = testConfig(backend, env);
  if (!config.gatewayProofSecret) throw new Error('startGateway needs GATEWAY_PROOF_SECRET');
  const logDatabase = uniqueName('gateway');
  const runtime = await openGatewayRuntime(config, config.gatewayProofSecret, { logDatabase, inMemory: true });
  const gateway = createGateway(gatewayOptions(config, runtime, subgraphUrls));
  await gateway.start();
  const listening = await serve(gateway.current, { service: 'gateway', port: 0, admit: gateway.admit, context: gateway.context });
  return {
    url: listening.url,
    queryLog: runtime.queryLog,
    stop: async () => {
      await listening.close();
      await gateway.stop();
      await runtime.close();
      if (backend.url) await dropPostgresSchema(backend.url, logDatabase);
    },
  };
}
