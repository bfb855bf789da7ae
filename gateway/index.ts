import { readConfig } from '../lib/config.js';
import { serve } from '../lib/http/serve.js';
import { onShutdown } from '../lib/process/onShutdown.js';
import { supergraphSdl } from '../schema/files.js';
import { createGateway } from './server.js';

try {
  const config = readConfig();
  const gateway = createGateway({ supergraphSdl: supergraphSdl(), subgraphUrls: config.subgraphUrls });
  await gateway.apollo.start();
  const listening = await serve(gateway.apollo, { port: config.ports.gateway, host: config.host, context: gateway.context });
  console.log(`gateway at ${listening.url}`);
  onShutdown(async () => {
    await listening.close();
    await gateway.apollo.stop();
  });
} catch (error) {
  console.error(`gateway could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
