import type { BaseContext } from '@apollo/server';
import { proofKeys } from '../auth/gatewayProof.js';
import { ConfigError, readConfig, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/index.js';
import { openEventBus, type EventBus } from '../events/index.js';
import { onShutdown } from '../process/onShutdown.js';
import { SUBGRAPHS, type SubgraphName } from '../../../schema/files.js';
import type { SubgraphService } from './defineSubgraph.js';
import { startSubgraph } from './startSubgraph.js';
import { describeError, logOf, setLogLevel } from '../observe/log.js';
import { startTracing } from '../observe/tracing.js';

/**
 * A subgraph as its own process (one container each in docker-compose.yml): config → database → bus → listen; stops on
 * SIGTERM. Its `index.ts` is this one call.
 */
export async function runSubgraph<Context extends BaseContext>(
  name: SubgraphName,
  build: (db: Database, config: Config, bus?: EventBus) => SubgraphService<Context>,
): Promise<void> {
  const log = logOf(name);
  try {
    const config = readConfig();
    setLogLevel(config.logLevel);
    const stopTracing = config.otlpEndpoint ? await startTracing({ endpoint: config.otlpEndpoint, serviceName: name }) : null;
    if (!config.gatewayProofSecret) throw new Error('GATEWAY_PROOF_SECRET is required when a subgraph runs as its own process');
    const db = await openDatabase({
      name,
      dataDir: config.dataDir,
      statementTimeoutMs: config.statementTimeoutMs,
      ...(config.databaseUrl ? { url: config.databaseUrl } : {}),
    });
    // separate processes reach each other's events only through Redis; without it the outbox keeps them
    const bus = config.redisUrl ? await openEventBus(config.redisUrl, { prefix: config.eventsPrefix, groups: SUBGRAPHS }) : undefined;
    const listening = await startSubgraph(build(db, config, bus), {
      drainTimeoutMs: config.drainTimeoutMs,
      port: config.ports[name],
      host: config.host,
      proof: proofKeys(config.gatewayProofSecret, config.gatewayProofSecretPrevious ? { previous: config.gatewayProofSecretPrevious } : {}),
      seed: config.seed,
    });
    log.info({ url: listening.url, seeded: listening.seeded }, `${name} subgraph at ${listening.url}${listening.seeded ? ' (demonstration data loaded)' : ''}`);
    onShutdown(async () => {
      await listening.close();
      await bus?.close();
      await db.close();
      await stopTracing?.();
    });
  } catch (error) {
    log.fatal(
      { error: describeError(error) },
      `${name} could not start: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  }
}
