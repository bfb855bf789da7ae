import { isMarketPartner, type Caller } from './caller.js';
import { Scope, listScope } from './scopes.js';
import { LIST_KINDS } from './vocabulary.js';

/**
 * Who may see which list entries and subjects (domain.md A1, A3, A4, A5, A6, L10, L11), stated once: the gateway's
 * row rules, the listings subgraph's lookups and the enforcement subgraph's credit checks all decide with these,
 * so a caller cannot learn by one route what another route withholds.
 */

/** What the rules read of an entry. Unknown values (a field the row did not carry) count as not public. */
export interface EntryFacts {
  kind?: unknown;
  status?: unknown;
  published?: unknown;
}

/**
 * `all`: every entry, exited and unpublished ones included (a department with credit:read, A1).
 * `public`: the public part of the lists named in `kinds`, plus everything in the caller's own file (`own`).
 */
export type EntryView = { scope: 'all' } | { scope: 'public'; kinds: ReadonlySet<string>; own: string | null };

const ALL_KINDS: ReadonlySet<string> = new Set(LIST_KINDS);

export function entryViewOf(caller: Caller): EntryView {
  if (caller.kind === 'department' && caller.scopes.has(Scope.READ)) return { scope: 'all' };
  // A4, A5: a market partner (bank, agency, association, media) sees only the lists its scopes name
  const kinds = isMarketPartner(caller) ? new Set(LIST_KINDS.filter((k) => caller.scopes.has(listScope(k)))) : ALL_KINDS;
  return { scope: 'public', kinds, own: caller.kind === 'subject' ? caller.principal : null };
}

/**
 * The public part (A3, L11): published, and in force — a red entry in publicity (L4) too; not a person's prior
 * notice (L5), not an exited entry (L10: it stays in the back end).
 */
export function isPublicEntry(entry: EntryFacts): boolean {
  if (entry.published !== true) return false;
  return entry.status === 'EFFECTIVE' || (entry.status === 'NOTICE' && entry.kind === 'RED');
}

/** Whether a caller with this view sees an entry of the subject `owner`. */
export function entryVisible(view: EntryView, entry: EntryFacts, owner: string | null): boolean {
  if (view.scope === 'all') return true;
  if (sameParty(view.own, owner)) return true;
  return view.kinds.has(String(entry.kind)) && isPublicEntry(entry);
}

/**
 * A6: a natural person none of whose entries the caller may see is, for that caller, indistinguishable from a
 * code that does not exist. Departments are not the public: they see every registered subject.
 */
export function hidesUnlistedPersons(caller: Caller): boolean {
  return caller.kind !== 'department';
}

/**
 * Equality of two parties (department codes, client ids, subject codes) that never holds for an unknown one:
 * two absent values are not the same party (an anonymous caller is not the filer of an anonymous record).
 */
export function sameParty(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && a !== '' && a === b;
}

/** A1: the caller is the department that determined the entry a row concerns (it sees its own in full, decides on it). */
export function isDeterminingAuthority(caller: Caller, authority: unknown): boolean {
  return caller.kind === 'department' && sameParty(caller.department, authority);
}

/** The caller is the subject whose file this is. */
export function isOwnFile(caller: Caller, owner: unknown): boolean {
  return caller.kind === 'subject' && sameParty(caller.principal, owner);
}

/** A department that reads beyond the public part (A1, contract.md: credit:read). */
export function readsBeyondPublic(caller: Caller): boolean {
  return caller.kind === 'department' && caller.scopes.has(Scope.READ);
}

/**
 * R6, A5: the caller is the credit-service agency a credit report names. An agency is known by its token's client id,
 * the name it files its reports under; no other kind of caller is an agency, whatever its client id.
 */
export function isNamedAgency(caller: Caller, agency: unknown): boolean {
  return caller.kind === 'agency' && sameParty(caller.clientId, agency);
}

/**
 * Who files a report (R1) as the records name it: a department by its code, any other token by its client id.
 * Null for a caller without a token, who files nothing and is the filer of nothing.
 */
export function filerOf(caller: Caller): string | null {
  if (caller.kind === 'department') return caller.department;
  return caller.clientId;
}

/**
 * L14: the caller receives a notice of a listing that may not be published: the department it names (by code), or the
 * employer it names, reading with its own subject token.
 */
export function isNoticeRecipient(caller: Caller, notice: { recipientKind?: unknown; recipient?: unknown }): boolean {
  if (notice.recipientKind === 'DEPARTMENT') return caller.kind === 'department' && sameParty(caller.department, notice.recipient);
  return notice.recipientKind === 'EMPLOYER' && isOwnFile(caller, notice.recipient);
}
