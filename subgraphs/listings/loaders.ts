import { entryViewOf, hidesUnlistedPersons, type EntryView } from '../../lib/contracts/access.js';
import type { Caller } from '../../lib/contracts/caller.js';
import { byKey, groupedBy } from '../../lib/platform/graphql/loaders.js';
import type { ListingsStore } from './store.js';

/**
 * Per-request batching: every entity reference and list field of this subgraph loads through these. `lookup` is for
 * the root lookups by code (A6: a person the caller may not know of reads as unknown); `subject` for references and
 * navigation from rows the caller was already allowed to reach.
 */
export function createLoaders(store: ListingsStore, caller: Caller) {
  const subject = byKey(
    (codes: readonly string[]) => store.subjectsByCodes(codes),
    (s) => s.code,
  );
  const view: EntryView = hidesUnlistedPersons(caller) ? entryViewOf(caller) : { scope: 'all' };
  return {
    subject,
    lookup:
      view.scope === 'all'
        ? subject
        : byKey(
            async (codes: readonly string[]) => {
              const found = await store.subjectsVisibleTo(codes, view);
              for (const s of found) subject.prime(s.code, s);
              return found;
            },
            (s) => s.code,
          ),
    entry: byKey(
      (ids) => store.entriesByIds(ids),
      (e) => e.id,
    ),
    entriesOfSubject: groupedBy(
      (codes) => store.entriesBySubjects(codes),
      (e) => e.subjectCode,
    ),
    responsibleForEntries: groupedBy(
      (ids: readonly string[]) => store.responsibleForEntries(ids),
      (r) => r.entryId,
    ),
    responsibilitiesOf: groupedBy(
      (codes: readonly string[]) => store.responsibilitiesOf(codes),
      (r) => r.personCode,
    ),
    history: groupedBy(
      (ids: readonly string[]) => store.historyOf(ids),
      (c) => c.entryId,
    ),
    /** Search results prime the subject loader, so their fields cost nothing more. */
    search: async (text: string, first: number) => {
      const found = await store.search(text, first, view);
      for (const s of found) subject.prime(s.code, s);
      return found;
    },
  };
}

export type ListingsLoaders = ReturnType<typeof createLoaders>;
