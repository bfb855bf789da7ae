import { isDeterminingAuthority } from '../../lib/contracts/access.js';
import { ownSubject, requireScope, type Caller } from '../../lib/contracts/caller.js';
import { Scope } from '../../lib/contracts/scopes.js';
import type { WorkingDayCalendar } from '../../lib/domain/calendar/index.js';
import type { Clock } from '../../lib/platform/clock.js';
import type { Database } from '../../lib/platform/db/index.js';
import { ErrorCode, creditError } from '../../lib/platform/errors.js';
import type { EntryFacts } from './model.js';
import type { RepairStore } from './store.js';
import type { RepairTerms } from './terms.js';

/** What every repair workflow needs. */
export interface RepairDeps {
  db: Database;
  clock: Clock;
  calendar: WorkingDayCalendar;
  terms: RepairTerms;
  /** Early pilot credit codes that fail the GB 32100 checksum but are genuine (LEGACY_CREDIT_CODES). */
  legacyCreditCodes?: ReadonlySet<string>;
}

/**
 * The entry as listings told repair of it, locked for the rest of the transaction (changes on one entry take turns);
 * NOT_FOUND when repair has not heard of it (or it was deleted, L8a).
 */
export async function knownEntry(store: RepairStore, entryId: string, argument = 'entryId'): Promise<EntryFacts> {
  const entry = await store.entryForUpdate(entryId);
  if (!entry) throw creditError(ErrorCode.NOT_FOUND, `no list entry ${entryId}`, { argument });
  return entry;
}

/** R1, R3, R7: only the determining authority decides on its entries. */
export function asAuthority(caller: Caller, authority: string, what: string): void {
  if (!isDeterminingAuthority(caller, authority)) {
    throw creditError(ErrorCode.FORBIDDEN, `only the determining authority ${authority} can ${what}; the caller acts for ${caller.department ?? caller.kind}`);
  }
}

/** R4–R7: a subject acts on its own file only. Returns its code. */
export function asSubject(caller: Caller, subjectCode?: string): string {
  const own = ownSubject(caller);
  if (!own) throw creditError(ErrorCode.FORBIDDEN, 'this is done by the listed subject itself, with a subject token');
  if (subjectCode !== undefined && own !== subjectCode) {
    throw creditError(ErrorCode.FORBIDDEN, `the entry belongs to another subject; ${own} acts on its own entries only`);
  }
  return own;
}

/**
 * R6, A5: a credit-service agency files in its own name only: an agency token (no other kind, whatever scopes it holds)
 * with report:submit. Returns the name the report is filed under, the token's client id.
 */
export function asAgency(caller: Caller): string {
  if (caller.kind !== 'agency' || !caller.clientId) {
    throw creditError(ErrorCode.FORBIDDEN, 'only a credit-service agency files a credit report in its own name, with an agency token');
  }
  requireScope(caller, Scope.REPORT_SUBMIT);
  return caller.clientId;
}
