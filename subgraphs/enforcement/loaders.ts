import { byKey, groupedBy } from '../../lib/platform/graphql/loaders.js';
import { noticesOfSubjects } from './listingNotices.js';
import type { EnforcementStore } from './store.js';

/** Per-request batching for every entity reference and list field of this subgraph. */
export function createLoaders(store: EnforcementStore) {
  return {
    noticesOfSubject: groupedBy(
      (codes: readonly string[]) => store.read((db) => noticesOfSubjects(db, codes)),
      (n) => n.subjectCode,
    ),
    task: byKey(
      (ids: readonly string[]) => store.tasksByIds(ids),
      (t) => t.id,
    ),
    tasksOfSubject: groupedBy(
      (codes: readonly string[]) => store.tasksBySubjects(codes),
      (t) => t.subjectCode,
    ),
    feedback: groupedBy(
      (ids: readonly string[]) => store.feedbackOf(ids),
      (f) => f.taskId,
    ),
  };
}

export type EnforcementLoaders = ReturnType<typeof createLoaders>;
