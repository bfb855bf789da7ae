import { runSubgraph } from '../../lib/process/runSubgraph.js';
import { warnCalendarCoverage } from '../../lib/process/warnCalendarCoverage.js';
import { createRepairServer } from './server.js';

warnCalendarCoverage();
await runSubgraph('repair', (db, _config, bus) => createRepairServer({ db, ...(bus ? { bus } : {}) }));
