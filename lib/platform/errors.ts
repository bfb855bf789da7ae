import { GraphQLError } from 'graphql';

/**
 * The one registry of `extensions.code` values. Callers branch on these, so they are part of the
 * public contract: add codes, never rename them.
 */
export const ErrorCode = {
  /** An identifier (credit code, resident ID, LEI) failed its check; the message names which check. */
  BAD_IDENTIFIER: 'BAD_IDENTIFIER',
  /** Input that is well-typed but not acceptable (a date that is not a date, an unknown field code, ...). */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** The thing the operation acts on does not exist. */
  NOT_FOUND: 'NOT_FOUND',
  /** The operation conflicts with what is already recorded (a subject registered twice, ...). */
  CONFLICT: 'CONFLICT',
  /** A token was presented and rejected. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The caller may not perform this operation. */
  FORBIDDEN: 'FORBIDDEN',
  /** The caller may not read this field; the value is null. */
  FORBIDDEN_FIELD: 'FORBIDDEN_FIELD',
  /** This caller may send only its client's registered operations, and this document is not one of them (HTTP 403). */
  OPERATION_NOT_REGISTERED: 'OPERATION_NOT_REGISTERED',
  /** No operation with this id is registered for the caller's client (HTTP 404); the name Apollo's clients know. */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** A rule of domain.md refuses this (extensions.rule names it, e.g. L3: no red while black or focus is active). */
  RULE_REFUSED: 'RULE_REFUSED',
  /** The entry is not in a state this change can start from (exit an exited entry, ...). */
  ILLEGAL_TRANSITION: 'ILLEGAL_TRANSITION',
  /** The caller (an address without a token, a token's client) is past its rate or its person lookups; `extensions.retryAfterSeconds` says when to retry (HTTP 429). */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The stated `X-Credit-Purpose` is not one the token allows: personal data is masked. */
  PURPOSE_NOT_ALLOWED: 'PURPOSE_NOT_ALLOWED',
  /** The query log could not be written, so the personal data it would have recorded is not returned (A2). */
  QUERY_LOG_UNAVAILABLE: 'QUERY_LOG_UNAVAILABLE',
  /** A working-day deadline reaches a year whose holiday notice the calendar does not hold yet (lib/domain/calendar/data). */
  CALENDAR_NOT_COVERED: 'CALENDAR_NOT_COVERED',
  /** A public caller asked about more person codes in one request than it may (A6: no enumeration of ID numbers). */
  TOO_MANY_PERSON_CODES: 'TOO_MANY_PERSON_CODES',
  /** The request body is larger than this caller may send (HTTP 413). */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The operation nests deeper than this caller may ask (`extensions.limit`, `extensions.found`). */
  MAX_DEPTH_LIMIT: 'MAX_DEPTH_LIMIT',
  /** The operation uses more aliases than this caller may. */
  MAX_ALIASES_LIMIT: 'MAX_ALIASES_LIMIT',
  /** The operation asks more root fields than this caller may. */
  MAX_ROOT_FIELDS_LIMIT: 'MAX_ROOT_FIELDS_LIMIT',
  /** The document has more tokens than this caller may send. */
  MAX_TOKENS_LIMIT: 'MAX_TOKENS_LIMIT',
  /** The operation uses more directives than this caller may. */
  MAX_DIRECTIVES_LIMIT: 'MAX_DIRECTIVES_LIMIT',
  /** A list argument holds more items than this caller may send (`extensions.argument`). */
  MAX_LIST_SIZE_LIMIT: 'MAX_LIST_SIZE_LIMIT',
  /** The operation's estimated cost is over this caller's budget (`extensions.cost`: estimated, budget). */
  COST_ESTIMATED_TOO_EXPENSIVE: 'COST_ESTIMATED_TOO_EXPENSIVE',
  /** Too many requests of this caller's kind are in flight at once; retry shortly (HTTP 503, Retry-After). */
  OVERLOADED: 'OVERLOADED',
  /** A service behind the gateway could not answer; `extensions.service` names it (never its address). */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** Something failed on our side; the message says nothing of the internals. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The HTTP status a response answers with when an error decides it (nothing else came back): the caller's
 * mistakes are 4xx, ours 5xx. A response that carries data besides its errors stays 200.
 */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  OPERATION_NOT_REGISTERED: 403,
  PERSISTED_QUERY_NOT_FOUND: 404,
  BAD_IDENTIFIER: 400,
  BAD_USER_INPUT: 400,
  TOO_MANY_PERSON_CODES: 400,
  MAX_DEPTH_LIMIT: 400,
  MAX_ALIASES_LIMIT: 400,
  MAX_ROOT_FIELDS_LIMIT: 400,
  MAX_TOKENS_LIMIT: 400,
  MAX_DIRECTIVES_LIMIT: 400,
  MAX_LIST_SIZE_LIMIT: 400,
  COST_ESTIMATED_TOO_EXPENSIVE: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  FORBIDDEN_FIELD: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ILLEGAL_TRANSITION: 409,
  RULE_REFUSED: 422,
  RATE_LIMITED: 429,
  PURPOSE_NOT_ALLOWED: 200,
  INTERNAL_SERVER_ERROR: 500,
  QUERY_LOG_UNAVAILABLE: 503,
  CALENDAR_NOT_COVERED: 503,
  SERVICE_UNAVAILABLE: 503,
  OVERLOADED: 503,
};

/** Codes that answer with their HTTP status wherever they are raised: they refuse a request before it runs. */
const REQUEST_LEVEL = new Set<ErrorCode>(['UNAUTHENTICATED', 'RATE_LIMITED']);

/**
 * A GraphQL error carrying one of the registered codes, plus any detail a caller can act on. A refusal of the
 * whole request before it runs (`refuses: true`, and UNAUTHENTICATED, RATE_LIMITED) carries its HTTP status.
 */
export function creditError(
  code: ErrorCode,
  message: string,
  detail: Record<string, unknown> = {},
  headers?: Map<string, string>,
  refuses = REQUEST_LEVEL.has(code),
): GraphQLError {
  const http = refuses ? { http: { status: HTTP_STATUS[code], ...(headers ? { headers } : {}) } } : {};
  // a refusal needs no stack trace (capturing one is most of what refusing costs under a flood of abusive requests)
  const origin = refuses ? { originalError: { name: 'Refusal', message, stack: `Refusal: ${message}` } as Error } : {};
  // Apollo Server reads `http.headers` as a Map; graphql-yoga (a dev dependency, the peer benchmark's) declares it a record
  const extensions = { code, ...detail, ...http } as Record<string, unknown>;
  return new GraphQLError(message, { extensions, ...origin });
}

/** The whole request is refused before anything runs: the error answers with its HTTP status (4xx). */
export function refusal(code: ErrorCode, message: string, detail: Record<string, unknown> = {}, headers?: Map<string, string>): GraphQLError {
  return creditError(code, message, detail, headers, true);
}
