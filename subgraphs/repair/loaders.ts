import { byKey, groupedBy } from '../../lib/platform/graphql/loaders.js';
import type { RepairStore } from './store.js';

/** Per-request batching for every entity reference and list field of this subgraph. */
export function createLoaders(store: RepairStore) {
  return {
    objection: byKey(
      (ids: readonly string[]) => store.objectionsByIds(ids),
      (o) => o.id,
    ),
    repair: byKey(
      (ids: readonly string[]) => store.repairsByIds(ids),
      (r) => r.id,
    ),
    objectionsOfSubject: groupedBy(
      (codes: readonly string[]) => store.objectionsBySubjects(codes),
      (o) => o.subjectCode,
    ),
    repairsOfSubject: groupedBy(
      (codes: readonly string[]) => store.repairsBySubjects(codes),
      (r) => r.subjectCode,
    ),
    entriesOfSubject: groupedBy(
      (codes: readonly string[]) => store.entriesBySubjects(codes),
      (e) => e.subjectCode,
    ),
    rectificationsOfSubject: groupedBy(
      (codes: readonly string[]) => store.rectificationsBySubjects(codes),
      (r) => r.subjectCode,
    ),
    interviewsOfSubject: groupedBy(
      (codes: readonly string[]) => store.interviewsBySubjects(codes),
      (i) => i.subjectCode,
    ),
    commitmentsOfSubject: groupedBy(
      (codes: readonly string[]) => store.commitmentsBySubjects(codes),
      (c) => c.subjectCode,
    ),
    trainingsOfSubject: groupedBy(
      (codes: readonly string[]) => store.trainingsBySubjects(codes),
      (t) => t.subjectCode,
    ),
    creditReportsOfSubject: groupedBy(
      (codes: readonly string[]) => store.creditReportsBySubjects(codes),
      (r) => r.subjectCode,
    ),
    /** R9: every version of each subject's declarations (the current ones, and the history). */
    declarationsOfSubject: groupedBy(
      (codes: readonly string[]) => store.declarationsBySubjects(codes),
      (d) => d.subjectCode,
    ),
    /** R9: the current declaration on each entry. */
    declarationOnEntry: byKey(
      (ids: readonly string[]) => store.currentDeclarationsOnEntries(ids),
      (d) => d.entryId ?? '',
    ),
  };
}

export type RepairLoaders = ReturnType<typeof createLoaders>;
