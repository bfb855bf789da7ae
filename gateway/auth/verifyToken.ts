import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWK, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ANONYMOUS, CALLER_KINDS, type Caller, type CallerKind } from '../../lib/contracts/caller.js';
import { creditError, ErrorCode } from '../../lib/platform/errors.js';

/** Caller kinds a token can carry; 'anonymous' is the absence of a token. */
export type TokenCallerKind = Exclude<CallerKind, 'anonymous'>;
export const TOKEN_CALLER_KINDS: readonly TokenCallerKind[] = CALLER_KINDS.filter((k): k is TokenCallerKind => k !== 'anonymous');

/** Asymmetric only: with public keys, HS* would mean "signed with the public key" (algorithm confusion). */
export const DEFAULT_ALGORITHMS: readonly string[] = ['ES256', 'RS256', 'EdDSA'];
/** RFC 9068 access-token type; jose compares it case-insensitively and accepts `application/at+jwt`. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

const REQUIRED_CLAIMS = ['iss', 'aud', 'sub', 'exp', 'iat', 'jti', 'client_id', 'scope', 'caller'];

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** inline JWKS (public keys) */
  jwks?: { keys: JWK[] };
  /** remote JWKS */
  jwksUrl?: string;
  /** min seconds between refetches of the remote JWKS when an unknown kid arrives (default 30) */
  jwksCooldownSeconds?: number;
  /** accepted algorithms (default ES256, RS256, EdDSA; `none` and HS* are refused) */
  algorithms?: string[];
  /** allowed clock skew for exp/nbf/iat (default 30) */
  clockToleranceSeconds?: number;
  /** longest lifetime (exp − iat) a token may have (default 24 h): a stolen long-lived token is refused outright */
  maxLifetimeSeconds?: number;
  /** seconds since the epoch (tests) */
  now?: () => number;
}

/**
 * The outcome for one request. `refusedPurpose` is the trimmed `X-Credit-Purpose` value when one was stated
 * but the token does not allow it (then `caller.purpose` is null); null when none was stated or it was allowed.
 * The request still proceeds: policy decides what a caller without a purpose may read (A2).
 */
export interface VerifiedRequest {
  caller: Caller;
  refusedPurpose: string | null;
}

export interface TokenVerifier {
  /** Rejections throw UNAUTHENTICATED (HTTP 401); a failure to fetch the remote JWKS throws a plain Error (500). */
  verify(authorizationHeader: string | undefined, purposeHeader: string | undefined): Promise<VerifiedRequest>;
}

/** The remote key set could not be fetched or was unusable: our fault, not the caller's. */
export class KeySetUnavailableError extends Error {}

const BEARER = /^Bearer +(\S+)$/i;

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const algorithms = checkOptions(options);
  const getKey = keyResolver(options);
  const tolerance = options.clockToleranceSeconds ?? 30;
  const maxLifetime = options.maxLifetimeSeconds ?? 86_400;
  const now = options.now ?? (() => Date.now() / 1000);
  const verifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    algorithms,
    typ: ACCESS_TOKEN_TYPE,
    requiredClaims: REQUIRED_CLAIMS,
    clockTolerance: tolerance,
  };

  const verified = new VerifiedTokens();
  return {
    async verify(authorizationHeader, purposeHeader) {
      const stated = purposeHeader?.trim() || null;
      if (authorizationHeader === undefined) return { caller: ANONYMOUS, refusedPurpose: stated };

      const token = BEARER.exec(authorizationHeader.trim())?.[1];
      if (!token) throw unauthenticated('the Authorization header must be "Bearer <access token>"');

      let payload = verified.get(token, now() - tolerance);
      if (!payload) {
        try {
          ({ payload } = await jwtVerify(token, getKey, options.now ? { ...verifyOptions, currentDate: new Date(now() * 1000) } : verifyOptions));
        } catch (err) {
          throw rejection(err, algorithms);
        }
        const { iat, exp } = payload as { iat: number; exp: number };
        if (iat > now() + tolerance) throw unauthenticated('issued in the future (iat is after now)');
        if (exp - iat > maxLifetime) throw unauthenticated(`lives too long: exp − iat is ${exp - iat} s, at most ${maxLifetime} s are accepted`);
        verified.set(token, payload, now());
      }
      const caller = callerFrom(payload, stated);
      return { caller, refusedPurpose: stated !== null && caller.purpose === null ? stated : null };
    },
  };
}

function checkOptions(options: TokenVerifierOptions): string[] {
  if (!options.issuer || !options.audience) throw new Error('token verifier: issuer and audience are required');
  if (!options.jwks && !options.jwksUrl) throw new Error('token verifier: configure jwks, jwksUrl or both');
  const algorithms = [...(options.algorithms ?? DEFAULT_ALGORITHMS)];
  const unsafe = algorithms.filter((a) => a.toLowerCase() === 'none' || /^HS/i.test(a));
  if (algorithms.length === 0 || unsafe.length > 0) {
    throw new Error(`token verifier: algorithms must be a non-empty list of asymmetric algorithms, refused: ${unsafe.join(', ')}`);
  }
  return algorithms;
}

/** Inline keys first; a kid they do not know goes to the remote set (which caches and throttles refetches). */
function keyResolver(options: TokenVerifierOptions): JWTVerifyGetKey {
  const local = options.jwks ? createLocalJWKSet(options.jwks) : undefined;
  const remote = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: (options.jwksCooldownSeconds ?? 30) * 1000 }) : undefined;
  return async (header, token) => {
    if (local) {
      try {
        return await local(header, token);
      } catch (err) {
        if (!remote || !(err instanceof errors.JWKSNoMatchingKey)) throw err;
      }
    }
    try {
      return await remote!(header, token);
    } catch (err) {
      const tokensFault = err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys || err instanceof errors.JOSENotSupported;
      throw tokensFault ? err : new KeySetUnavailableError('could not fetch the token signing keys (JWKS)', { cause: err });
    }
  };
}

function unauthenticated(why: string) {
  return creditError(ErrorCode.UNAUTHENTICATED, `access token rejected: ${why}`);
}

/** Maps jose's errors to a reason a client developer can act on; never echoes the token. */
function rejection(err: unknown, algorithms: string[]): Error {
  if (!(err instanceof errors.JOSEError)) return err instanceof Error ? err : new Error(String(err));
  if (err instanceof errors.JWTExpired) return unauthenticated('expired (exp is in the past)');
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === 'missing') return unauthenticated(`missing claim "${err.claim}"`);
    const known: Record<string, string> = {
      typ: `wrong token type: the "typ" header must be "${ACCESS_TOKEN_TYPE}" (RFC 9068)`,
      iss: 'wrong issuer',
      aud: 'wrong audience',
      nbf: 'not yet valid (nbf is in the future)',
    };
    return unauthenticated(known[err.claim] ?? `invalid claim "${err.claim}"`);
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return unauthenticated(`unsupported alg (accepted: ${algorithms.join(', ')})`);
  if (err instanceof errors.JWSSignatureVerificationFailed) return unauthenticated('bad signature');
  if (err instanceof errors.JWKSNoMatchingKey) return unauthenticated('signed with an unknown key (no trusted key matches its kid and alg)');
  if (err instanceof errors.JWKSMultipleMatchingKeys) return unauthenticated('several trusted keys match; the token must name its key (kid)');
  if (err instanceof errors.JOSENotSupported) return unauthenticated(`not supported: ${err.message}`);
  return unauthenticated('malformed token (not a signed JWT)');
}

function callerFrom(payload: JWTPayload, stated: string | null): Caller {
  const text = (claim: string, value: unknown): string => {
    if (typeof value !== 'string' || value === '') throw unauthenticated(`claim "${claim}" must be a non-empty string`);
    return value;
  };
  const kind = payload.caller;
  if (typeof kind !== 'string' || !(TOKEN_CALLER_KINDS as readonly string[]).includes(kind)) {
    throw unauthenticated(`claim "caller" must be one of ${TOKEN_CALLER_KINDS.join(', ')}`);
  }
  if (typeof payload.scope !== 'string') throw unauthenticated('claim "scope" must be a space-separated string');
  if (kind === 'department' && payload.department === undefined) throw unauthenticated('missing claim "department" (required when caller is department)');
  const purposes = payload.purposes ?? [];
  if (!Array.isArray(purposes) || !purposes.every((p) => typeof p === 'string')) throw unauthenticated('claim "purposes" must be an array of strings');

  const allowedPurposes = new Set<string>(purposes);
  return {
    kind: kind as TokenCallerKind,
    tokenId: text('jti', payload.jti),
    clientId: text('client_id', payload.client_id),
    principal: text('sub', payload.sub),
    // Only department tokens act for a department: a stray claim on another kind grants nothing.
    department: kind === 'department' ? text('department', payload.department) : null,
    region: payload.region === undefined ? null : text('region', payload.region),
    scopes: new Set(payload.scope.split(' ').filter(Boolean)),
    allowedPurposes,
    purpose: stated !== null && allowedPurposes.has(stated) ? stated : null,
  };
}

/**
 * Tokens verified lately, so a caller's every request does not pay for a signature check (an ES256 verification is
 * most of what admitting a request costs). An entry is used until the token expires, and at most five minutes after
 * it was checked, so a key withdrawn from the issuer's set stops being trusted within that time; the oldest entries
 * go first when it is full.
 */
class VerifiedTokens {
  private static readonly REVERIFY_AFTER_SECONDS = 300;
  private static readonly MAX_ENTRIES = 10_000;
  private readonly entries = new Map<string, { payload: JWTPayload; until: number }>();

  /** The payload, while the token has not expired (`now` already allows the clock skew) and the entry is fresh. */
  get(token: string, now: number): JWTPayload | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.until < now) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.payload;
  }

  set(token: string, payload: JWTPayload, now: number): void {
    if (this.entries.size >= VerifiedTokens.MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { payload, until: Math.min(payload.exp!, now + VerifiedTokens.REVERIFY_AFTER_SECONDS) });
  }
}
