import { runSubgraph } from '../../lib/process/runSubgraph.js';
import { createRepairServer } from './server.js';

await runSubgraph('repair', (db, _config, bus) => createRepairServer({ db, ...(bus ? { bus } : {}) }));
