import { byKey, groupedBy } from '../../lib/graphql/loaders.js';
import type { ListingsStore } from './store.js';

/** Per-request batching: every entity reference and list field of this subgraph loads through these. */
export function createLoaders(store: ListingsStore) {
  const subject = byKey((codes: readonly string[]) => store.subjectsByCodes(codes), (s) => s.code);
  return {
    subject,
    entry: byKey((ids) => store.entriesByIds(ids), (e) => e.id),
    entriesOfSubject: groupedBy((codes) => store.entriesBySubjects(codes), (e) => e.subjectCode),
    history: groupedBy((ids: readonly string[]) => store.historyOf(ids), (c) => c.entryId),
    /** Search results prime the subject loader, so their fields cost nothing more. */
    search: async (text: string, first: number) => {
      const found = await store.search(text, first);
      for (const s of found) subject.prime(s.code, s);
      return found;
    },
  };
}

export type ListingsLoaders = ReturnType<typeof createLoaders>;
