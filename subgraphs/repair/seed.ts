import type { Database } from '../../lib/db/index.js';
import type { DemoDataset } from '../../lib/demo/dataset.js';
import { RepairStore } from './store.js';

/** Loads the demonstration objections and repair applications into an empty repair database, in one transaction. */
export async function seedRepair(db: Database, data: DemoDataset): Promise<boolean> {
  return db.transaction(async (tx) => {
    const store = new RepairStore(tx);
    if ((await store.objectionCount()) > 0) return false;
    for (const o of data.objections) await store.insertObjection(o);
    for (const r of data.repairs) await store.insertRepair(r);
    return true;
  });
}
