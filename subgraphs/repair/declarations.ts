import { randomUUID } from 'node:crypto';
import type { Caller } from '../../lib/contracts/caller.js';
import { ErrorCode, creditError } from '../../lib/platform/errors.js';
import { requireText } from '../../lib/platform/graphql/validation.js';
import type { Declaration } from './model.js';
import { asSubject, type RepairDeps } from './parties.js';
import { RepairStore } from './store.js';

/**
 * rule R9: the subject's declaration (声明权). The subject attaches a statement to its own file or to one of its own
 * entries, replaces it or withdraws it; nobody else writes one. Every version stays a row: a replacement marks the
 * version before it REPLACED, a withdrawal marks it WITHDRAWN. Each target (the file, or one entry) has at most one
 * current version, whatever runs at once: changes on one target take turns (a lock), and a unique index holds the rule.
 * What it is shown with, and to whom, is the gateway's row rule (gateway/policy/policy.ts, Declaration).
 */

/** R9: a statement is the subject's own words, kept short enough to show with an entry. */
export const DECLARATION_MAX_CHARACTERS = 2000;

export interface DeclareInput {
  code: string;
  /** Absent or null: a statement on the whole file. */
  entryId?: string | null;
  text: string;
}

/**
 * One answer for an entry that is unknown and one that is another subject's (A1, A6): the caller learns nothing about
 * entries outside its own file.
 */
function noSuchEntry(entryId: string): never {
  throw creditError(ErrorCode.NOT_FOUND, `no list entry ${entryId} in your credit file`, { argument: 'entryId' });
}

function noSuchDeclaration(id: string): never {
  throw creditError(ErrorCode.NOT_FOUND, `no declaration ${id} in your credit file`, { argument: 'id' });
}

/**
 * Takes the target's turn until the transaction ends; false when the target is not (or no longer) in the subject's file.
 * On an entry: its row, the lock filings and the deletion (L8a) take too, so no statement is attached to an entry
 * being deleted. On the file: an advisory lock on the subject (repair keeps no row per subject).
 */
async function lockTarget(store: RepairStore, subjectCode: string, entryId: string | null): Promise<boolean> {
  if (entryId === null) {
    await store.lockFileDeclarations(subjectCode);
    return true;
  }
  const entry = await store.entryForUpdate(entryId);
  return entry?.subjectCode === subjectCode;
}

/** rule R9: attach a statement, or replace the current one on the same target (which stays, marked REPLACED). */
export async function declare(deps: RepairDeps, caller: Caller, input: DeclareInput): Promise<Declaration> {
  // who first: anyone but the subject itself is refused before anything is read or checked
  const subjectCode = asSubject(caller, input.code);
  const text = requireText('text', input.text, DECLARATION_MAX_CHARACTERS);
  const entryId = input.entryId ?? null;
  return deps.db.transaction(async (tx) => {
    const store = new RepairStore(tx);
    if (!(await lockTarget(store, subjectCode, entryId))) noSuchEntry(entryId ?? '');
    const latest = await store.latestDeclaration(subjectCode, entryId);
    const today = deps.clock.today();
    if (latest?.status === 'CURRENT') await store.endDeclaration(latest.id, 'REPLACED', today);
    const declaration: Declaration = {
      id: randomUUID(),
      subjectCode,
      entryId,
      version: (latest?.version ?? 0) + 1,
      text,
      status: 'CURRENT',
      madeOn: today,
      replacedOn: null,
      withdrawnOn: null,
    };
    await store.insertDeclaration(declaration);
    return declaration;
  });
}

/** rule R9: the subject withdraws its current statement; the version stays, marked WITHDRAWN. */
export async function withdrawDeclaration(deps: RepairDeps, caller: Caller, id: string): Promise<Declaration> {
  const subjectCode = asSubject(caller);
  return deps.db.transaction(async (tx) => {
    const store = new RepairStore(tx);
    const seen = await ownDeclaration(store, subjectCode, id);
    // read again under the target's lock: a replacement, a withdrawal or the entry's deletion (L8a) may have come first
    if (!(await lockTarget(store, subjectCode, seen.entryId))) noSuchDeclaration(id);
    const declaration = await ownDeclaration(store, subjectCode, id);
    if (declaration.status !== 'CURRENT') {
      const on = declaration.replacedOn ?? declaration.withdrawnOn;
      throw creditError(ErrorCode.ILLEGAL_TRANSITION, `declaration ${id} was ${declaration.status.toLowerCase()} on ${on}; only the current one is withdrawn`, {
        rule: 'R9',
      });
    }
    const today = deps.clock.today();
    await store.endDeclaration(id, 'WITHDRAWN', today);
    return { ...declaration, status: 'WITHDRAWN', withdrawnOn: today };
  });
}

/** The caller's own declaration; another subject's reads as unknown. */
async function ownDeclaration(store: RepairStore, subjectCode: string, id: string): Promise<Declaration> {
  const [found] = await store.declarationsByIds([id]);
  if (!found || found.subjectCode !== subjectCode) noSuchDeclaration(id);
  return found;
}

/** The versions before `declaration` on its target, oldest first (from all the subject's versions). */
export function earlierVersions(declaration: Declaration, all: readonly Declaration[]): Declaration[] {
  return all.filter((d) => d.entryId === declaration.entryId && d.version < declaration.version).sort((a, b) => a.version - b.version);
}
