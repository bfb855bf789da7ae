import { Scope } from '../../lib/contracts/scopes.js';
import { entryViewOf, entryVisible, isDeterminingAuthority, isOwnFile, readsBeyondPublic } from '../../lib/contracts/access.js';
import { requireScope, type Caller } from '../../lib/contracts/caller.js';
import { ErrorCode, creditError } from '../../lib/platform/errors.js';
import { DateScalar } from '../../lib/platform/graphql/date.js';
import { badInput } from '../../lib/platform/graphql/validation.js';
import { assertIdentifier, checkSubjectCode, normaliseCode } from '../../lib/domain/identifiers/index.js';
import { determineEntry, type DetermineDeps, type DetermineEntryInput } from './determineEntry.js';
import type { ListingsLoaders } from './loaders.js';
import type { EntryChange, EntryStatus, ListEntry, ListKind, Responsibility, Subject } from './model.js';
import { exitEntry, type ExitEntryInput } from './exitEntry.js';
import { registerSubject, type RegisterSubjectInput } from './registerSubject.js';
import { statusOn } from './rules.js';

export interface ListingsContext {
  caller: Caller;
  loaders: ListingsLoaders;
}

export type ListingsDeps = DetermineDeps;

const MAX_CODES = 1000;

const MAX_SEARCH = 100;

export function listingsResolvers(deps: ListingsDeps) {
  const { db, clock, legacyCreditCodes } = deps;
  const checkedCode = (raw: string, argument: string): string => {
    const code = normaliseCode(raw);
    assertIdentifier(checkSubjectCode(code, legacyCreditCodes), argument);
    return code;
  };

  return {
    Date: DateScalar,
    Query: {
      subject: (_: unknown, { code }: { code: string }, { loaders }: ListingsContext) => loaders.lookup.load(checkedCode(code, 'code')),
      subjects: (_: unknown, { codes }: { codes: string[] }, { loaders }: ListingsContext) => {
        if (codes.length > MAX_CODES) badInput('codes', `at most ${MAX_CODES} codes per query, got ${codes.length}`);
        const checked = codes.map((c, i) => checkedCode(c, `codes[${i}]`));
        return loaders.lookup.loadMany(checked);
      },
      searchSubjects: (_: unknown, { text, first }: { text: string; first: number }, { loaders }: ListingsContext) => {
        const term = text.trim();
        if (term.length === 0) badInput('text', 'text must not be empty');
        if (!Number.isInteger(first) || first < 1 || first > MAX_SEARCH) badInput('first', `first must be between 1 and ${MAX_SEARCH}`);
        return loaders.search(term, first);
      },
    },
    Mutation: {
      registerSubject: (_: unknown, { input }: { input: RegisterSubjectInput }, { caller }: ListingsContext) => {
        requireScope(caller, Scope.LISTING_WRITE);
        return registerSubject(db, legacyCreditCodes, input);
      },
      determineEntry: (_: unknown, { input }: { input: DetermineEntryInput }, { caller }: ListingsContext) => {
        requireScope(caller, Scope.LISTING_WRITE);
        // listing:write acts as the determining authority: a department records its own determinations only
        if (!isDeterminingAuthority(caller, input.authority.trim())) {
          throw creditError(ErrorCode.FORBIDDEN, `department ${caller.department ?? '(none)'} cannot record a determination by ${input.authority}`, {
            argument: 'authority',
          });
        }
        return determineEntry(deps, input.authority.trim(), input);
      },
      exitEntry: (_: unknown, { input }: { input: ExitEntryInput }, { caller }: ListingsContext) => {
        requireScope(caller, Scope.LISTING_WRITE);
        return exitEntry(db, clock, caller, input);
      },
    },
    Subject: {
      __resolveReference: (ref: { code: string }, { loaders }: ListingsContext) => loaders.subject.load(ref.code),
      entries: async (subject: Subject, args: { kind?: ListKind | null; status?: EntryStatus | null; asOf?: string | null }, { loaders }: ListingsContext) => {
        const entries = await loaders.entriesOfSubject.load(subject.code);
        const statusOf = (e: ListEntry) => (args.asOf ? statusOn(e, args.asOf) : e.status);
        return entries.filter((e) => statusOf(e) !== null && (!args.kind || e.kind === args.kind) && (!args.status || statusOf(e) === args.status));
      },
      // L13: a person's links, to those who read beyond the public part and to the person; each entry as the caller may see it (A1)
      responsibleFor: async (subject: Subject, _: unknown, { caller, loaders }: ListingsContext) => {
        if (subject.kind !== 'PERSON' || !(readsBeyondPublic(caller) || isOwnFile(caller, subject.code))) return [];
        const links = await loaders.responsibilitiesOf.load(subject.code);
        const view = entryViewOf(caller);
        const entries = await loaders.entry.loadMany(links.map((l) => l.entryId));
        return links.filter((_, i) => {
          const entry = entries[i];
          return entry && !(entry instanceof Error) && entryVisible(view, entry, entry.subjectCode);
        });
      },
    },
    Responsibility: {
      person: (link: Responsibility, _: unknown, { loaders }: ListingsContext) => loaders.subject.load(link.personCode),
      entry: (link: Responsibility, _: unknown, { loaders }: ListingsContext) => loaders.entry.load(link.entryId),
    },
    EntryChange: {
      at: (change: EntryChange) => change.at.toISOString(),
    },
    ListEntry: {
      __resolveReference: (ref: { id: string }, { loaders }: ListingsContext) => loaders.entry.load(ref.id),
      subject: (entry: ListEntry, _: unknown, { loaders }: ListingsContext) => loaders.subject.load(entry.subjectCode),
      history: (entry: ListEntry, _: unknown, { loaders }: ListingsContext) => loaders.history.load(entry.id),
      statusOn: (entry: ListEntry, { date }: { date: string }) => statusOn(entry, date),
      responsiblePersons: (entry: ListEntry, _: unknown, { loaders }: ListingsContext) => loaders.responsibleForEntries.load(entry.id), // L13
      effectiveOnProvisional: (entry: ListEntry) => entry.effectiveOn !== null && deps.calendar.isProvisional(entry.effectiveOn), // CAL
    },
  };
}
