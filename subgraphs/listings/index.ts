import { runSubgraph } from '../../lib/process/runSubgraph.js';
import { warnCalendarCoverage } from '../../lib/process/warnCalendarCoverage.js';
import { createListingsServer } from './server.js';

warnCalendarCoverage();
await runSubgraph('listings', (db, config, bus) => createListingsServer({ db, legacyCreditCodes: config.legacyCreditCodes, ...(bus ? { bus } : {}) }));
