/** `npm start`: the whole system on this machine, seeded on first start; Ctrl-C stops all four services. */
import { ConfigError, readConfig } from '../lib/config.js';
import { showcaseSubject } from '../lib/demo/dataset.js';
import { onShutdown } from '../lib/process/onShutdown.js';
import { warnCalendarCoverage } from '../lib/process/warnCalendarCoverage.js';
import { startSystem } from './system.js';

const began = performance.now();
let config;
try {
  config = readConfig();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(2);
}
console.log(`starting credit-graph (${config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}/`})...`);
const system = await startSystem({ config }).catch((error: unknown) => {
  console.error(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
const code = showcaseSubject().code;
console.log(`
credit-graph is up in ${((performance.now() - began) / 1000).toFixed(1)} s${
  system.seededSubjects ? `, with demonstration data loaded (${system.seededSubjects} subjects)` : ''
}
  gateway      ${system.gatewayUrl}
  listings     ${system.subgraphUrls.listings}
  enforcement  ${system.subgraphUrls.enforcement}
  repair       ${system.subgraphUrls.repair}

Try a complete credit file:
  curl -s ${system.gatewayUrl} -H 'content-type: application/json' \\
    -d '{"query":"{ subject(code: \\"${code}\\") { code kind name region legalRepresentative { name } entries { kind status field } tasks { __typename status } objections { __typename status } repairs { __typename status } } }"}'

That is the public view (A3): personal data masked. To read as a department with a purpose:
  TOKEN=$(npm run -s token -- --caller department --department NDRC \\
    --scopes "credit:read credit:read:personal" --purposes ADMINISTRATIVE_APPROVAL)
  curl ... -H "authorization: Bearer $TOKEN" -H 'x-credit-purpose: ADMINISTRATIVE_APPROVAL'

Ctrl-C stops all four services.`);

warnCalendarCoverage();
onShutdown(() => system.stop());
