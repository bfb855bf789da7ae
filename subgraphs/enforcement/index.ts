import { runSubgraph } from '../../lib/process/runSubgraph.js';
import { createEnforcementServer } from './server.js';

await runSubgraph('enforcement', (db, config, bus) => createEnforcementServer({ db, legacyCreditCodes: config.legacyCreditCodes, ...(bus ? { bus } : {}) }));
