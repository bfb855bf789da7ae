import { readConfig } from '../lib/platform/config.js';
import { serve } from '../lib/platform/http/serve.js';
import { openEventBus } from '../lib/platform/events/index.js';
import { onShutdown } from '../lib/platform/process/onShutdown.js';
import { gatewayOptions, openGatewayRuntime, registeredOperations } from './runtime.js';
import { watchSupergraph } from './supergraphWatch.js';
import { startPeriodic } from '../lib/platform/process/periodic.js';
import { publishHead, QUERY_LOG_HEAD_EVERY_MS } from './audit/publishHead.js';
import { gatewayReadiness } from './readiness.js';
import { createGateway } from './server.js';
import { describeError, logOf, setLogLevel } from '../lib/platform/observe/log.js';
import { startTracing } from '../lib/platform/observe/tracing.js';

const log = logOf('gateway');

try {
  const config = readConfig();
  setLogLevel(config.logLevel);
  const stopTracing = config.otlpEndpoint ? await startTracing({ endpoint: config.otlpEndpoint, serviceName: 'gateway' }) : null;
  if (!config.gatewayProofSecret) throw new Error('GATEWAY_PROOF_SECRET is required when the gateway runs as its own process');
  // the events that end the answer cache's answers travel on Redis: without it the gateway keeps no answers
  const bus = config.redisUrl ? await openEventBus(config.redisUrl, { prefix: config.eventsPrefix }) : null;
  const runtime = await openGatewayRuntime(config, config.gatewayProofSecret, bus ? { events: { bus, prefix: config.eventsPrefix } } : {});
  const gateway = createGateway(gatewayOptions(config, runtime, config.subgraphUrls));
  await gateway.start();
  const reloads = watchSupergraph(gateway, {
    supergraphFile: config.supergraphFile,
    operationsDir: config.operationsDir,
    loadOperations: () => registeredOperations(config.operationsDir),
  });
  const listening = await serve(gateway.current, {
    service: 'gateway',
    port: config.ports.gateway,
    metricsPort: config.gatewayMetricsPort,
    explorer: config.explorer,
    cors: { origins: config.corsOrigins },
    host: config.host,
    admit: gateway.admit,
    context: gateway.context,
    drainTimeoutMs: config.drainTimeoutMs,
    ready: gatewayReadiness(runtime.db, config.subgraphUrls),
  });
  log.info({ url: listening.url, metricsUrl: listening.metricsUrl }, `gateway at ${listening.url}`);
  // A2: the query log's head, published where the log system collects this output, so a deleted tail shows
  const heads = startPeriodic('query-log head', () => publishHead(runtime.queryLog), QUERY_LOG_HEAD_EVERY_MS);
  onShutdown(async () => {
    await heads.stop();
    await listening.close();
    await reloads.stop();
    await gateway.stop();
    await runtime.close();
    await bus?.close();
    await stopTracing?.();
  });
} catch (error) {
  log.fatal({ error: describeError(error) }, `gateway could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
