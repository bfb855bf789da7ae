import type { Database } from '../../lib/db/index.js';
import type { DemoDataset } from '../../lib/demo/dataset.js';
import { EnforcementStore } from './store.js';

/** Loads the demonstration tasks into an empty enforcement database, in one transaction. */
export async function seedEnforcement(db: Database, data: DemoDataset): Promise<boolean> {
  return db.transaction(async (tx) => {
    const store = new EnforcementStore(tx);
    if ((await store.taskCount()) > 0) return false;
    for (const t of data.tasks) await store.insertTask(t);
    // E4's projection of the entries in force, as listings' events would have built it
    const regions = new Map(data.subjects.map((s) => [s.code, s.region]));
    for (const e of data.entries.filter((e) => e.status === 'EFFECTIVE')) {
      await store.entryInForce({
        entryId: e.id, subjectCode: e.subjectCode, kind: e.kind, field: e.field, authority: e.authority,
        region: regions.get(e.subjectCode) ?? null, since: e.determinedOn, published: e.published,
      });
    }
    return true;
  });
}
