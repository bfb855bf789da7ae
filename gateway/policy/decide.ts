import type { Caller } from '../../lib/contracts/caller.js';
import type { Access } from './classification.js';
import { POLICY, type DataKind, type Disclosure } from './policy.js';

/** @access: public, or all scopes of at least one list. No rule at all: denied. */
export function canAccess(access: Access | null, caller: Caller): boolean {
  if (!access) return false;
  if (access.public) return true;
  return access.anyOf.some((all) => all.every((scope) => caller.scopes.has(scope)));
}

export function dataKind(kind: string): DataKind | null {
  return (POLICY.dataKinds as Record<string, DataKind>)[kind] ?? null;
}

/**
 * How a sensitive value is shown to this caller. `own`: the caller is the subject whose file this is;
 * `inFull`: a row rule grants the caller this row in full (A1). An unknown kind is withheld.
 */
export function disclosureFor(kind: string, caller: Caller, row: { own: boolean; inFull: boolean }): Disclosure {
  const def = dataKind(kind);
  if (!def) return 'withheld';
  if (row.own || row.inFull) return 'full';
  const table = (POLICY.disclosure as Record<string, Record<string, Disclosure>>)[kind];
  const best = table?.[caller.kind === 'subject' ? 'anonymous' : caller.kind] ?? 'withheld';
  if (best !== 'full') return best;
  const entitled =
    def.category === 'personal'
      ? caller.scopes.has(POLICY.scopes.personal) && caller.purpose !== null // A2: a permission and a stated purpose
      : caller.scopes.has(POLICY.scopes.secret);
  return entitled ? 'full' : def.otherwise;
}
