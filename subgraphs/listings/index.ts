import { runSubgraph } from '../../lib/process/runSubgraph.js';
import { createListingsServer } from './server.js';

await runSubgraph('listings', (db, config, bus) => createListingsServer({ db, legacyCreditCodes: config.legacyCreditCodes, ...(bus ? { bus } : {}) }));
