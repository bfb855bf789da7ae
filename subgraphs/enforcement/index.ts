import { runSubgraph } from '../../lib/platform/subgraph/runSubgraph.js';
import { createEnforcementServer } from './server.js';

await runSubgraph('enforcement', (db, config, bus) => createEnforcementServer({ db, legacyCreditCodes: config.legacyCreditCodes, ...(bus ? { bus } : {}) }));
