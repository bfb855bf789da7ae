import { warnCalendarCoverage } from '../../lib/domain/calendar/warnCoverage.js';
import { demoDataset } from '../../lib/demo/dataset.js';
import { runSubgraph } from '../../lib/platform/subgraph/runSubgraph.js';
import { createListingsServer } from './server.js';

warnCalendarCoverage();
await runSubgraph('listings', (db, config, bus) =>
  createListingsServer({ db, legacyCreditCodes: config.legacyCreditCodes, ...(bus ? { bus } : {}), ...(config.seed ? { demo: demoDataset() } : {}) }),
);
