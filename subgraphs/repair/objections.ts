import { Scope } from '../../lib/contracts/scopes.js';
import { randomUUID } from 'node:crypto';
import { filerOf } from '../../lib/contracts/access.js';
import type { Caller } from '../../lib/contracts/caller.js';
import { ErrorCode, creditError } from '../../lib/platform/errors.js';
import { publishEvent } from '../../lib/platform/events/index.js';
import { REPAIR_EVENTS, type ObjectionDecided, type ObjectionFiled } from '../../lib/contracts/events/repair.js';
import { addDays } from '../../lib/domain/dates.js';
import { badInput, requireText } from '../../lib/platform/graphql/validation.js';
import type { Queryable } from '../../lib/platform/db/index.js';
import { NOT_YET_PROGRESSED, OPEN_OBJECTION, type EntryFacts, type Objection, type ObjectionStatus } from './model.js';
import { asAuthority, asSubject, knownEntry, type RepairDeps } from './parties.js';
import { RepairStore } from './store.js';
import { objectionTermsFor } from './terms.js';
import { countDeadline } from '../../lib/domain/calendar/provisionalDeadlines.js';

/** The deadline of an objection's step now due, counted (and noted when provisional: CAL) in the caller's transaction. */
const dueBy = (tx: Queryable, deps: RepairDeps, id: string, from: string, workingDays: number) =>
  countDeadline(tx, deps.calendar, { table: 'objections', column: 'due_by' }, id, from, workingDays);

/**
 * rule R1: objections and reports as a workflow — filed → accepted (or refused) → verified → upheld or rejected —
 * each step within its jurisdiction's limit in working days, the deadline of the step now due stored on the row.
 * Every outcome listings acts on is published in the same transaction (outbox): filed (L4 holds a red entry in
 * publicity), decided (R2/L8a deletes a black entry, L9a ends a red one; a refusal releases a held red entry).
 */

export interface FileObjectionInput {
  entryId: string;
  grounds: string;
  evidence?: string | null;
}

export interface DecideObjectionInput {
  id: string;
  upheld: boolean;
  reason: string;
  apology?: string | null;
  clarification?: string | null;
}

async function publishFiled(tx: Queryable, entryId: string): Promise<void> {
  const payload: ObjectionFiled = { entryId };
  await publishEvent(tx, REPAIR_EVENTS.objectionFiled, entryId, payload);
}

/** Counted under the entry's lock (objectionForUpdate), so two decisions on one entry cannot each count the other as still open. */
async function publishDecided(
  tx: Queryable,
  decidedId: string,
  entryId: string | null,
  payload: Omit<ObjectionDecided, 'entryId' | 'othersOpen'>,
): Promise<void> {
  if (!entryId) return;
  const othersOpen = (await new RepairStore(tx).objectionsByEntry(entryId)).some((o) => o.id !== decidedId && OPEN_OBJECTION.includes(o.status));
  const decided: ObjectionDecided = { entryId, ...payload, othersOpen };
  await publishEvent(tx, REPAIR_EVENTS.objectionDecided, entryId, decided);
}

function acceptable(entry: EntryFacts): void {
  if (entry.kind === 'WARNING') {
    // an upheld objection could not end it: the next review would list the subject again from the same focus entries
    throw creditError(
      ErrorCode.RULE_REFUSED,
      `entry ${entry.entryId} is a warning that follows from the subject's focus entries in three or more fields (L6): object to those`,
      { rule: 'L6' },
    );
  }
  if (entry.status === 'EXITED') {
    throw creditError(ErrorCode.ILLEGAL_TRANSITION, `entry ${entry.entryId} has exited (${entry.exitWay ?? 'exit'}); there is nothing in force to object to`, {
      rule: 'R1',
    });
  }
}

/** rule R1: the subject objects to its own entry; anyone else reports (反映), with evidence. */
export async function fileObjection(deps: RepairDeps, caller: Caller, input: FileObjectionInput): Promise<Objection> {
  const grounds = requireText('grounds', input.grounds, 5000);
  const evidence = input.evidence?.trim() ? requireText('evidence', input.evidence, 10_000) : null;
  return deps.db.transaction(async (tx) => {
    const store = new RepairStore(tx);
    const entry = await knownEntry(store, input.entryId);
    acceptable(entry);
    const bySubject = caller.kind === 'subject' && caller.principal === entry.subjectCode;
    if (!bySubject) {
      if (!caller.scopes.has(Scope.REPAIR_REPORT)) asSubject(caller, entry.subjectCode); // a subject's token on another's entry
      if (!evidence) badInput('evidence', 'a report by anyone but the subject must carry evidence (R1)');
    }
    const filedBy = bySubject ? entry.subjectCode : filerOf(caller);
    if (filedBy === null) throw creditError(ErrorCode.FORBIDDEN, 'a report names its filer: it needs a token');
    const open = (await store.objectionsByEntry(entry.entryId)).find((o) => o.filedBy === filedBy && OPEN_OBJECTION.includes(o.status));
    if (open) throw creditError(ErrorCode.CONFLICT, `objection ${open.id} by ${filedBy} against this entry is still open`, { objection: open.id });
    const today = deps.clock.today();
    const id = randomUUID();
    const objection: Objection = {
      id,
      kind: bySubject ? 'OBJECTION' : 'REPORT',
      entryId: entry.entryId,
      subjectCode: entry.subjectCode,
      authority: entry.authority,
      filedBy,
      grounds,
      evidence,
      status: 'FILED',
      filedOn: today,
      dueBy: await dueBy(tx, deps, id, today, objectionTermsFor(deps.terms, entry.region).acceptWorkingDays),
      ...NOT_YET_PROGRESSED,
      reconsiders: null,
    };
    await store.insertObjection(objection);
    await publishFiled(tx, entry.entryId);
    return objection;
  });
}

/** One authority step on an objection: loads it and its entry, checks who and from which state, applies `change`. */
async function step(
  deps: RepairDeps,
  caller: Caller,
  id: string,
  from: readonly ObjectionStatus[],
  what: string,
  change: (o: Objection, entry: EntryFacts | null, today: string, tx: Queryable) => Promise<Partial<Objection>>,
): Promise<Objection> {
  return deps.db.transaction(async (tx) => {
    const store = new RepairStore(tx);
    const objection = await store.objectionForUpdate(id);
    if (!objection) throw creditError(ErrorCode.NOT_FOUND, `no objection ${id}`, { argument: 'id' });
    asAuthority(caller, objection.authority, what);
    if (!from.includes(objection.status)) {
      throw creditError(ErrorCode.ILLEGAL_TRANSITION, `objection ${id} is ${objection.status}; to ${what} it must be ${from.join(' or ')}`, { rule: 'R1' });
    }
    const [entry] = objection.entryId ? await store.entriesByIds([objection.entryId]) : [];
    const update = await change(objection, entry ?? null, deps.clock.today(), tx);
    await store.updateObjection(id, update);
    return { ...objection, ...update };
  });
}

const limitsOf = (deps: RepairDeps, entry: EntryFacts | null) => objectionTermsFor(deps.terms, entry?.region ?? null);

export const acceptObjection = (deps: RepairDeps, caller: Caller, id: string) =>
  step(deps, caller, id, ['FILED'], 'accept an objection', async (_o, entry, today, tx) => ({
    status: 'ACCEPTED',
    acceptedOn: today,
    dueBy: await dueBy(tx, deps, id, today, limitsOf(deps, entry).verifyWorkingDays),
  }));

/** A refusal closes the objection; listings releases a red entry it held in publicity (L4). */
export function refuseObjection(deps: RepairDeps, caller: Caller, id: string, reasonText: string): Promise<Objection> {
  const reason = requireText('reason', reasonText, 5000);
  return step(deps, caller, id, ['FILED'], 'refuse an objection', async (o, _entry, today, tx) => {
    await publishDecided(tx, o.id, o.entryId, { upheld: false, on: today, reason });
    return { status: 'REFUSED', decidedOn: today, reason, dueBy: null };
  });
}

export function verifyObjection(deps: RepairDeps, caller: Caller, id: string, findingsText: string): Promise<Objection> {
  const findings = requireText('findings', findingsText, 10_000);
  return step(deps, caller, id, ['ACCEPTED'], 'verify an objection', async (o, entry, today, tx) => ({
    status: 'VERIFIED',
    verifiedOn: today,
    findings,
    dueBy: await dueBy(tx, deps, id, o.acceptedOn ?? today, decisionDays(deps, entry, o.extended)),
  }));
}

const decisionDays = (deps: RepairDeps, entry: EntryFacts | null, extended: boolean) => {
  const limits = limitsOf(deps, entry);
  return extended && limits.extendedDecideWorkingDays ? limits.extendedDecideWorkingDays : limits.decideWorkingDays;
};

/** R1: where the jurisdiction allows it (e.g. Zhejiang: 5 → 20 working days), once. */
export function extendObjection(deps: RepairDeps, caller: Caller, id: string, reasonText: string): Promise<Objection> {
  const reason = requireText('reason', reasonText, 5000);
  return step(deps, caller, id, ['ACCEPTED', 'VERIFIED'], 'extend the decision limit', async (o, entry, today, tx) => {
    const limits = limitsOf(deps, entry);
    if (!limits.extendedDecideWorkingDays) {
      throw creditError(ErrorCode.RULE_REFUSED, `${limits.name} allows no extension of the decision limit`, { rule: 'R1' });
    }
    if (o.extended) throw creditError(ErrorCode.RULE_REFUSED, `objection ${id} was already extended once`, { rule: 'R1' });
    if (o.status !== 'VERIFIED') return { extended: true, extensionReason: reason }; // the decision's deadline is counted at verification
    return { extended: true, extensionReason: reason, dueBy: await dueBy(tx, deps, id, o.acceptedOn ?? today, limits.extendedDecideWorkingDays) };
  });
}

/** rules R1, R2: the decision, with reasons; an upheld one against a black entry records the correction too. */
export function decideObjection(deps: RepairDeps, caller: Caller, input: DecideObjectionInput): Promise<Objection> {
  const reason = requireText('reason', input.reason, 5000);
  return step(deps, caller, input.id, ['VERIFIED'], 'decide an objection', async (o, entry, today, tx) => {
    let correction: Partial<Objection> = {};
    if (input.upheld && entry?.kind === 'BLACK') {
      // rule R2: the wrong black listing is corrected with a written apology and a clarification
      if (!input.apology?.trim()) badInput('apology', 'an upheld objection against a black entry records a written apology (R2)');
      if (!input.clarification?.trim()) badInput('clarification', 'an upheld objection against a black entry records a clarification (R2)');
      correction = { apology: requireText('apology', input.apology, 5000), clarification: requireText('clarification', input.clarification, 5000) };
    }
    await publishDecided(tx, o.id, o.entryId, { upheld: input.upheld, on: today, reason });
    return { status: input.upheld ? 'UPHELD' : 'REJECTED', decidedOn: today, reason, dueBy: null, ...correction };
  });
}

/** rule R1 (复议): the subject asks, within the limit, for a refusal or rejection to be reconsidered; once per decision. */
export async function requestReconsideration(deps: RepairDeps, caller: Caller, objectionId: string, groundsText: string): Promise<Objection> {
  const grounds = requireText('grounds', groundsText, 5000);
  return deps.db.transaction(async (tx) => {
    const store = new RepairStore(tx);
    const original = await store.objectionForUpdate(objectionId);
    if (!original) throw creditError(ErrorCode.NOT_FOUND, `no objection ${objectionId}`, { argument: 'objectionId' });
    asSubject(caller, original.subjectCode);
    if (original.kind !== 'OBJECTION') {
      // once: a reconsideration's outcome is final here; a report is the reporter's, not the subject's, to pursue
      throw creditError(
        ErrorCode.RULE_REFUSED,
        `objection ${objectionId} is a ${original.kind.toLowerCase()}; only the subject's own objection is reconsidered, once`,
        { rule: 'R1' },
      );
    }
    if (original.status !== 'REFUSED' && original.status !== 'REJECTED') {
      throw creditError(ErrorCode.ILLEGAL_TRANSITION, `objection ${objectionId} is ${original.status}; only a refused or rejected one is reconsidered`, {
        rule: 'R1',
      });
    }
    const today = deps.clock.today();
    const lastDay = addDays(original.decidedOn!, deps.terms.reconsiderationDays);
    if (today > lastDay) {
      throw creditError(ErrorCode.RULE_REFUSED, `reconsideration was possible until ${lastDay} (${deps.terms.reconsiderationDays} days after the decision)`, {
        rule: 'R1',
        lastDay,
      });
    }
    const again = await store.reconsiderationOf(original.id);
    if (again) throw creditError(ErrorCode.CONFLICT, `objection ${objectionId} is already being reconsidered (${again.id})`, { objection: again.id });
    const entry = await knownEntry(store, original.entryId ?? '', 'objectionId');
    acceptable(entry);
    const id = randomUUID();
    const reconsideration: Objection = {
      ...original,
      id,
      kind: 'RECONSIDERATION',
      filedBy: original.subjectCode,
      grounds,
      evidence: null,
      status: 'FILED',
      filedOn: today,
      dueBy: await dueBy(tx, deps, id, today, objectionTermsFor(deps.terms, entry.region).acceptWorkingDays),
      ...NOT_YET_PROGRESSED,
      reconsiders: original.id,
    };
    await store.insertObjection(reconsideration);
    await publishFiled(tx, entry.entryId);
    return reconsideration;
  });
}
