import { runSubgraph } from '../../lib/process/runSubgraph.js';
import { createEnforcementServer } from './server.js';

await runSubgraph('enforcement', (db, _config, bus) => createEnforcementServer({ db, ...(bus ? { bus } : {}) }));
