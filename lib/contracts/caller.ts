import { ErrorCode, creditError } from '../platform/errors.js';
import type { Scope } from './scopes.js';

/**
 * Who is asking: the gateway derives it from the verified access token (or its absence) and passes it to
 * the subgraphs inside its signed proof. Policy decisions read only this.
 */
export type CallerKind = 'anonymous' | 'department' | 'portal' | 'bank' | 'subject';

export const CALLER_KINDS: readonly CallerKind[] = ['anonymous', 'department', 'portal', 'bank', 'subject'];

export interface Caller {
  kind: CallerKind;
  /** `jti` of the access token; null for anonymous callers. */
  tokenId: string | null;
  /** `client_id`: the system the token was issued to. */
  clientId: string | null;
  /** `sub`: for a subject caller, the subject's own code (credit code or resident ID number). */
  principal: string | null;
  /** The department (code) the caller acts for; set for department callers. */
  department: string | null;
  /** Administrative-division code the caller acts in. */
  region: string | null;
  /** Space-separated `scope` claim, split (contract.md scope names). */
  scopes: ReadonlySet<string>;
  /** Purposes this token may state in `X-Credit-Purpose` (A2). */
  allowedPurposes: ReadonlySet<string>;
  /** The purpose stated with this request, only when the token allows it; otherwise null. */
  purpose: string | null;
}

export const ANONYMOUS: Caller = Object.freeze({
  kind: 'anonymous',
  tokenId: null,
  clientId: null,
  principal: null,
  department: null,
  region: null,
  scopes: new Set<string>(),
  allowedPurposes: new Set<string>(),
  purpose: null,
});

/** The caller's own subject code, when the caller is a subject reading its own file. */
export function ownSubject(caller: Caller): string | null {
  return caller.kind === 'subject' ? caller.principal : null;
}

/** Defence in depth: the gateway already refused a caller without the scope; a subgraph checks again. */
export function requireScope(caller: Caller, scope: Scope): void {
  if (!caller.scopes.has(scope)) throw creditError(ErrorCode.FORBIDDEN, `this needs the ${scope} scope`, { scope });
}
