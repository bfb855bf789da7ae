/** `npm start`: the whole system on this machine, seeded on first start; Ctrl-C stops all four services. */
import { ConfigError, readConfig } from '../lib/platform/config.js';
import { showcaseSubject } from '../lib/demo/dataset.js';
import { onShutdown } from '../lib/platform/process/onShutdown.js';
import { warnCalendarCoverage } from '../lib/domain/calendar/warnCoverage.js';
import { startSystem } from './system.js';
import { setLogLevel } from '../lib/platform/observe/log.js';
import { startTracing } from '../lib/platform/observe/tracing.js';

const began = performance.now();
let config;
try {
  config = readConfig();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(2);
}
setLogLevel(config.logLevel);
const stopTracing = config.otlpEndpoint ? await startTracing({ endpoint: config.otlpEndpoint, serviceName: 'credit-graph' }) : null;
console.log(`starting credit-graph (${config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}/`})...`);
const system = await startSystem({ config }).catch((error: unknown) => {
  console.error(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
const code = showcaseSubject().code;
const url = system.gatewayUrl;
const FILE = `{ subject(code: \\"${code}\\") { code kind name region legalRepresentative { name idNumber } entries { kind status field } tasks { status } objections { status } repairs { status } } }`;
const CHECK = `{ creditCheck(code: \\"${code}\\", scenario: BIDDING) { verdict measures { name legalBasis } entries { kind field } } }`;
const post = (query: string, headers: string[] = []) =>
  `curl -s ${url} -H 'content-type: application/json' ${headers.map((h) => `${h} `).join('')}\\\n    -d '{"query":"${query}"}'`;
const bearer = `-H "authorization: Bearer $TOKEN"`;
console.log(`
credit-graph is up in ${((performance.now() - began) / 1000).toFixed(1)} s${
  system.seededSubjects ? `, with demonstration data loaded (${system.seededSubjects} subjects)` : ''
}
  gateway      ${url}
  listings     ${system.subgraphUrls.listings}
  enforcement  ${system.subgraphUrls.enforcement}
  repair       ${system.subgraphUrls.repair}
  metrics      ${system.metricsUrl}${
    config.explorer ? `\n  explorer     ${url.replace(/\/graphql$/, '/explorer')} (in a browser; set the token and purpose under Headers)` : ''
  }

Try it: paste these into a shell in this folder.

  # A complete credit file as the public sees it: personal data masked, other parties' business left out
  ${post(FILE)}

  # The same file read by a department with credit:read:personal and a stated purpose: in full, and logged
  TOKEN=$(npm run -s token -- --caller department --department NDRC --scopes "credit:read credit:read:personal" --purposes ADMINISTRATIVE_APPROVAL)
  ${post(FILE, [bearer, "-H 'x-credit-purpose: ADMINISTRATIVE_APPROVAL'"])}

  # A credit check, as a department's approval workflow runs it
  TOKEN=$(npm run -s token -- --caller department --department MOF --scopes "check:run")
  ${post(CHECK, [bearer])}

Ctrl-C stops all four services.`);

warnCalendarCoverage();
onShutdown(async () => {
  await system.stop();
  await stopTracing?.();
});
