import type { Database } from '../../lib/db/index.js';
import type { DemoDataset } from '../../lib/demo/dataset.js';
import { EnforcementStore } from './store.js';

/** Loads the demonstration tasks into an empty enforcement database, in one transaction. */
export async function seedEnforcement(db: Database, data: DemoDataset): Promise<boolean> {
  return db.transaction(async (tx) => {
    const store = new EnforcementStore(tx);
    if ((await store.taskCount()) > 0) return false;
    for (const t of data.tasks) await store.insertTask(t);
    return true;
  });
}
