import { ErrorCode, creditError } from '../platform/errors.js';
import type { Scope } from './scopes.js';

/**
 * Who is asking: the gateway derives it from the verified access token (or its absence) and passes it to
 * the subgraphs inside its signed proof. Policy decisions read only this. The market partners (A4, A5) are kinds of
 * their own: partner banks, credit-service agencies (信用服务机构), industry associations (行业协会) and news media
 * (新闻媒体).
 */
export const CALLER_KINDS = ['anonymous', 'department', 'portal', 'bank', 'agency', 'association', 'media', 'subject'] as const;

export type CallerKind = (typeof CALLER_KINDS)[number];

/**
 * A4, A5: the market partners receive dishonesty information as the law allows, under scoped tokens: only the lists
 * their `list:` scopes name, personal data never in full, rate-limited, every query logged. Stated for every kind, so
 * a new kind does not compile until someone decides whether it is one (deny by default).
 */
const MARKET_PARTNER = {
  anonymous: false,
  department: false,
  portal: false,
  subject: false,
  bank: true,
  agency: true,
  association: true,
  media: true,
} as const satisfies Record<CallerKind, boolean>;

/** A4, A5: the caller is a market partner (a bank, a credit-service agency, an industry association, a news medium). */
export function isMarketPartner(caller: Pick<Caller, 'kind'>): boolean {
  return MARKET_PARTNER[caller.kind];
}

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
