import { randomUUID } from 'node:crypto';
import type { Clock } from '../../lib/platform/clock.js';
import type { Database } from '../../lib/platform/db/index.js';
import { ErrorCode, creditError } from '../../lib/platform/errors.js';
import { badInput, requireText } from '../../lib/platform/graphql/validation.js';
import { assertIdentifier, checkSubjectCode, normaliseCode } from '../../lib/domain/identifiers/index.js';
import { FIELDS, isFieldCode } from '../../lib/contracts/vocabulary.js';
import type { WorkingDayCalendar } from '../../lib/domain/calendar/index.js';
import { countDeadline } from '../../lib/domain/calendar/provisionalDeadlines.js';
import type { ListEntry, ListKind, Recipient, Subject } from './model.js';
import { isActive, redRefusal } from './rules.js';
import { defaultSeverity, publicationWindow, type Severity } from '../../lib/domain/publication.js';
import { bindsPersons, checkNamedPersons, responsiblePersonsFor, type NamedPersonInput } from './responsiblePersons.js';
import { checkEmployer, checkRecipient } from './recipients.js';
import { ListingsStore } from './store.js';
import type { ListingTerms } from './terms.js';
import { applyExit, endRedsFor } from './transitions.js';

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
  /** rule R8: repairable only from this date. */
  repairableFrom?: string | null;
  /** Publication periods (R7); defaults by kind: BLACK serious, FOCUS general. */
  severity?: Severity | null;
  published?: boolean | null;
  evidence?: string | null;
  focusMonthsAfterExit?: number | null;
  /** rule L7: the focus entry during whose validity a serious breach transfers the subject to black. */
  fromFocusEntry?: string | null;
  /** rule L12: the administrative-penalty decision the entry rests on. */
  penaltyDecidedOn?: string | null;
  /** rule L13: persons the authority names as responsible, besides the legal representative (organisations' BLACK or FOCUS). */
  responsiblePersons?: NamedPersonInput[] | null;
  /** rule L14: whom a listing that may not be published is notified to instead. */
  notify?: Recipient | null;
}

/**
 * The working days before an entry takes effect, if not at once: a red candidate is first publicly noticed (L4), a
 * natural person is notified before a black entry takes effect (L5).
 */
function noticeDays(kind: ListKind, subject: Subject, terms: ListingTerms): number | null {
  if (kind === 'RED') return terms.publicityWorkingDays; // rule L4
  if (kind === 'BLACK' && subject.kind === 'PERSON') return terms.priorNoticeWorkingDays; // rule L5
  return null;
}

/**
 * The rules a determination must pass against the subject's other entries: L7 (a transfer from focus names a
 * focus entry in force that day) and L3 (no red while black or focus is active). Returns the focus entry L7 ends.
 */
function checkListingRules(input: DetermineEntryInput, existing: readonly ListEntry[], today: string): ListEntry | undefined {
  const fromFocus = input.fromFocusEntry ? existing.find((e) => e.id === input.fromFocusEntry) : undefined;
  if (input.fromFocusEntry) {
    // rule L7: a serious breach during a focus entry's validity transfers the subject to black
    if (input.kind !== 'BLACK' || !fromFocus || fromFocus.kind !== 'FOCUS') {
      throw creditError(ErrorCode.RULE_REFUSED, 'fromFocusEntry names a focus entry of this subject, and the new entry is BLACK', {
        rule: 'L7',
        argument: 'fromFocusEntry',
      });
    }
    if (!isActive(fromFocus, input.determinedOn)) {
      throw creditError(ErrorCode.RULE_REFUSED, `focus entry ${fromFocus.id} was not in force on ${input.determinedOn}`, {
        rule: 'L7',
        argument: 'fromFocusEntry',
      });
    }
  }
  if (input.kind === 'RED') {
    const blocking = redRefusal(existing, today);
    if (blocking) {
      throw creditError(ErrorCode.RULE_REFUSED, `a red entry is refused while the subject has an active ${blocking.kind} entry (${blocking.id})`, {
        rule: 'L3',
        blockingEntry: blocking.id,
      });
    }
  }
  return fromFocus;
}

export interface DetermineDeps {
  db: Database;
  clock: Clock;
  calendar: WorkingDayCalendar;
  terms: ListingTerms;
  legacyCreditCodes: ReadonlySet<string>;
}

export async function determineEntry(
  { db, clock, calendar, terms, legacyCreditCodes: legacy }: DetermineDeps,
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
  if (input.penaltyDecidedOn && input.penaltyDecidedOn > input.determinedOn) {
    badInput('penaltyDecidedOn', `the penalty decision (${input.penaltyDecidedOn}) cannot follow the determination (${input.determinedOn})`);
  }
  if (input.validUntil && input.validUntil < input.determinedOn) {
    badInput('validUntil', `validUntil ${input.validUntil} is before determinedOn ${input.determinedOn}`);
  }
  const severity = input.kind === 'RED' ? null : (input.severity ?? defaultSeverity(input.kind));
  if (input.kind === 'RED' && input.severity) badInput('severity', 'severity grades dishonesty information; a RED entry has none');
  if (input.repairableFrom && input.repairableFrom < input.determinedOn) {
    badInput('repairableFrom', `repairableFrom ${input.repairableFrom} is before determinedOn ${input.determinedOn}`);
  }
  // NDRC order 2025 No. 36: publication ends at the severity's maximum, whatever validity was asked for
  const lastDay = severity ? publicationWindow(severity, input.determinedOn).lastDay : null;
  const validUntil = lastDay && (!input.validUntil || input.validUntil > lastDay) ? lastDay : (input.validUntil ?? null);
  // rule L11: black and red are published; focus only when the authority chooses to
  const published = input.published ?? input.kind !== 'FOCUS';
  const recipient = checkRecipient(input.kind, published, input.notify, legacy);
  const named = checkNamedPersons(input.responsiblePersons);
  if (named.length > 0 && input.kind !== 'BLACK' && input.kind !== 'FOCUS') {
    badInput('responsiblePersons', `responsible persons carry an organisation's BLACK or FOCUS entry (L13), not a ${input.kind} one`);
  }
  const draft = {
    facts: requireText('facts', input.facts),
    authority: requireText('authority', input.authority, 100),
    basis: requireText('basis', input.basis),
    evidence: input.evidence ? requireText('evidence', input.evidence, 10_000) : null,
  };

  return db.transaction(async (tx) => {
    const store = new ListingsStore(tx);
    const subject = await store.lockSubject(code); // L2, L3, L6, L7 decide from the subject's other entries
    if (!subject) throw creditError(ErrorCode.NOT_FOUND, `no subject is registered with code ${code}`, { argument: 'code' });
    await checkEmployer(store, recipient, code);
    if (named.length > 0 && subject.kind !== 'ORGANISATION')
      badInput('responsiblePersons', "responsible persons carry an organisation's entry (L13), not a person's");
    const today = clock.today();
    const existing = await store.entriesBySubjects([code]);
    const fromFocus = checkListingRules(input, existing, today);
    // notice runs from today (the entry is recorded now), not from a back-dated determination; noted when provisional (CAL)
    const id = randomUUID();
    const days = noticeDays(input.kind, subject, terms);
    const effectiveOn = days === null ? null : await countDeadline(tx, calendar, { table: 'list_entries', column: 'effective_on' }, id, today, days);
    const entry: ListEntry = {
      id,
      follows: null,
      subjectCode: code,
      kind: input.kind,
      status: effectiveOn ? 'NOTICE' : 'EFFECTIVE',
      effectiveOn,
      held: false,
      // rule L1: a report after the deadline is flagged, not refused
      lateReport: today > calendar.addWorkingDays(input.determinedOn, terms.reportDeadlineWorkingDays),
      penaltyDecidedOn: input.penaltyDecidedOn ?? null,
      // rule L12: penalty information published after its deadline is flagged
      latePublication: !!input.penaltyDecidedOn && today > calendar.addWorkingDays(input.penaltyDecidedOn, terms.penaltyPublicationWorkingDays),
      field: input.field,
      ...draft,
      determinedOn: input.determinedOn,
      validUntil,
      repairable: input.repairable ?? true,
      repairableFrom: input.repairableFrom ?? null,
      severity,
      focusMonths,
      published,
      reportedOn: today,
      exit: null,
    };
    await store.insertEntry(entry);
    if (recipient) await store.setRecipient(entry.id, recipient); // L14
    if (bindsPersons(subject.kind, entry.kind)) {
      // rule L13: its legal representative and the named persons carry it in their personal files
      const persons = await responsiblePersonsFor(store, subject, named);
      await store.linkResponsible(
        entry.id,
        persons.map((p) => ({ ...p, entryId: entry.id })),
      );
    }
    await store.publishDetermined(entry);
    await store.recordChange(entry.id, actor, 'DETERMINED', null, { status: entry.status });
    if (entry.status === 'EFFECTIVE') await store.publishEffective(entry, entry.determinedOn);
    if (fromFocus) {
      await applyExit(
        store,
        fromFocus,
        { way: 'SUPERSEDED', on: input.determinedOn, reason: `serious breach: transferred to black entry ${entry.id} (L7)`, by: entry.id },
        actor,
        today,
      );
    }
    if (entry.status === 'EFFECTIVE') await endRedsFor(entry, entry.determinedOn, store, actor, today);
    return entry;
  });
}
