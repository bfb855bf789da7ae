import { randomUUID } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import type { Database } from '../../lib/db/index.js';
import { ErrorCode, creditError } from '../../lib/errors.js';
import { assertIdentifier, badInput, requireText } from '../../lib/graphql/validation.js';
import { checkSubjectCode, normaliseCode } from '../../lib/identifiers/index.js';
import { FIELDS, isFieldCode } from './fields.js';
import type { EntryStatus, ListEntry, ListKind, Subject } from './model.js';
import { ListingsStore } from './store.js';

export interface DetermineEntryInput {
  code: string;
  kind: ListKind;
  field: string;
  facts: string;
  authority: string;
  basis: string;
  determinedOn: string;
  validUntil?: string | null;
  repairable?: boolean | null;
  published?: boolean | null;
  evidence?: string | null;
}

/**
 * The status an entry starts in: a red candidate is first publicly noticed (L4), a natural person is
 * notified before a black entry takes effect (L5); everything else is effective at once.
 */
function initialStatus(kind: ListKind, subject: Subject): EntryStatus {
  if (kind === 'RED') return 'NOTICE'; // rule L4
  if (kind === 'BLACK' && subject.kind === 'PERSON') return 'NOTICE'; // rule L5
  return 'EFFECTIVE';
}

export async function determineEntry(
  db: Database,
  clock: Clock,
  legacy: ReadonlySet<string>,
  actor: string,
  input: DetermineEntryInput,
): Promise<ListEntry> {
  const code = normaliseCode(input.code);
  assertIdentifier(checkSubjectCode(code, legacy), 'code');
  // rule L6: the warning list is derived from focus entries, never determined by hand.
  if (input.kind === 'WARNING') badInput('kind', 'WARNING entries follow from FOCUS entries in 3 or more fields (L6); they are not determined directly');
  if (!isFieldCode(input.field)) badInput('field', `unknown field ${JSON.stringify(input.field)}; known: ${Object.keys(FIELDS).join(', ')}`);
  if (input.determinedOn > clock.today()) badInput('determinedOn', `determinedOn ${input.determinedOn} is in the future`);
  if (input.validUntil && input.validUntil < input.determinedOn) {
    badInput('validUntil', `validUntil ${input.validUntil} is before determinedOn ${input.determinedOn}`);
  }
  const draft = {
    facts: requireText('facts', input.facts),
    authority: requireText('authority', input.authority, 100),
    basis: requireText('basis', input.basis),
    evidence: input.evidence ? requireText('evidence', input.evidence, 10_000) : null,
  };

  return db.transaction(async (tx) => {
    const store = new ListingsStore(tx);
    const [subject] = await store.subjectsByCodes([code]);
    if (!subject) throw creditError(ErrorCode.NOT_FOUND, `no subject is registered with code ${code}`, { argument: 'code' });
    const entry: ListEntry = {
      id: randomUUID(),
      subjectCode: code,
      kind: input.kind,
      status: initialStatus(input.kind, subject),
      field: input.field,
      ...draft,
      determinedOn: input.determinedOn,
      validUntil: input.validUntil ?? null,
      repairable: input.repairable ?? true,
      // rule L11: black and red are published; focus only when the authority chooses to
      published: input.published ?? input.kind !== 'FOCUS',
      reportedOn: clock.today(),
      exit: null,
    };
    await store.insertEntry(entry);
    await store.recordEvent(entry.id, actor, 'DETERMINED', null, { status: entry.status });
    return entry;
  });
}
