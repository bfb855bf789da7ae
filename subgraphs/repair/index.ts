import { warnCalendarCoverage } from '../../lib/domain/calendar/warnCoverage.js';
import { demoDataset } from '../../lib/demo/dataset.js';
import { runSubgraph } from '../../lib/platform/subgraph/runSubgraph.js';
import { createRepairServer } from './server.js';

warnCalendarCoverage();
await runSubgraph('repair', (db, config, bus) =>
  createRepairServer({ db, legacyCreditCodes: config.legacyCreditCodes, ...(bus ? { bus } : {}), ...(config.seed ? { demo: demoDataset() } : {}) }),
);
