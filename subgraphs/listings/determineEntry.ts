import { randomUUID } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import type { Database } from '../../lib/db/index.js';
import { ErrorCode, creditError } from '../../lib/errors.js';
import { assertIdentifier, badInput, requireText } from '../../lib/graphql/validation.js';
import { checkSubjectCode, normaliseCode } from '../../lib/identifiers/index.js';
import { FIELDS, isFieldCode } from './fields.js';
import type { EntryStatus, ListEntry, ListKind, Subject } from './model.js';
import { redRefusal, redsEndedBy } from './rules.js';
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
  focusMonthsAfterExit?: number | null;
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
  const focusMonths = input.focusMonthsAfterExit ?? 12;
  if (!Number.isInteger(focusMonths) || focusMonths < 1 || focusMonths > 60) badInput('focusMonthsAfterExit', 'focusMonthsAfterExit must be 1 to 60 months');
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
    const today = clock.today();
    const existing = await store.entriesBySubjects([code]);
    if (input.kind === 'RED') {
      const blocking = redRefusal(existing, today);
      if (blocking) {
        throw creditError(ErrorCode.RULE_REFUSED, `a red entry is refused while the subject has an active ${blocking.kind} entry (${blocking.id})`, {
          rule: 'L3',
          blockingEntry: blocking.id,
        });
      }
    }
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
      focusMonths,
      // rule L11: black and red are published; focus only when the authority chooses to
      published: input.published ?? input.kind !== 'FOCUS',
      reportedOn: clock.today(),
      exit: null,
    };
    await store.insertEntry(entry);
    await store.recordEvent(entry.id, actor, 'DETERMINED', null, { status: entry.status });
    if (entry.status === 'EFFECTIVE') {
      // rule L2 (black) and L9(b) (focus): an active red entry of the subject ends now
      for (const red of redsEndedBy(entry.kind, existing, today)) {
        const reason = `${entry.kind === 'BLACK' ? 'blacklisted' : 'placed on focus'}: entry ${entry.id} (${entry.kind === 'BLACK' ? 'L2' : 'L9b'})`;
        await store.recordExit(red.id, { way: 'SUPERSEDED', on: entry.determinedOn > today ? today : entry.determinedOn, reason });
        await store.recordEvent(red.id, actor, 'EXITED', reason, { way: 'SUPERSEDED', by: entry.id });
      }
    }
    return entry;
  });
}
