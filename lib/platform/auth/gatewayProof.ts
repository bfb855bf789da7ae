import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Caller, CallerKind } from '../../contracts/caller.js';

/**
 * The gateway's proof (design.md: subgraphs trust only the gateway). Each fetch to a subgraph carries one,
 * made for that fetch alone: an HMAC-SHA256, under a secret only the gateway and the subgraphs hold, over
 *
 *   - the audience: the one subgraph it is for;
 *   - a digest of the request it travels with (the document and the variables);
 *   - a lifetime of seconds, and an id that the subgraph accepts once;
 *   - the caller the gateway verified.
 *
 * A proof captured between the gateway and a subgraph therefore opens nothing else: not another query, not
 * another subgraph, not the same query again. (It does not hide the traffic: a link that crosses machines
 * needs TLS as well; see the README's deployment notes.) An HMAC, not a JWT: one is made per subgraph fetch, and
 * node:crypto makes it in microseconds.
 */
export const PROOF_HEADER = 'x-credit-gateway-proof';
const VERSION = 'cgp1';
/** How long a proof is good for. */
export const PROOF_LIFETIME_MS = 10_000;
/** Clock difference tolerated between the gateway's machine and a subgraph's. */
const CLOCK_SKEW_MS = 5_000;

export class ProofError extends Error {}

/** What a proof is bound to: the subgraph it is for and the request it travels with. */
export interface ProvenRequest {
  audience: string;
  query: string;
  variables?: Record<string, unknown> | null;
}

export interface ProofKeys {
  sign(caller: Caller, request: ProvenRequest): string;
  /** The caller the proof vouches for; ProofError when it is missing, forged, expired, replayed or for another request. */
  verify(token: string | undefined, request: ProvenRequest): Caller;
}

interface Payload {
  aud: string;
  dig: string;
  iat: number;
  exp: number;
  jti: string;
  c: {
    kind: CallerKind;
    tid: string | null;
    cid: string | null;
    sub: string | null;
    dep: string | null;
    reg: string | null;
    scp: string[];
    pps: string[];
    pur: string | null;
  };
}

/** The request's digest: the document and the variables, as the subgraph receives them. */
export function requestDigest(request: ProvenRequest): string {
  return createHash('sha256')
    .update(request.query)
    .update('\0')
    .update(JSON.stringify(request.variables ?? {}))
    .digest('base64url');
}

export function proofKeys(secret: string, options: { now?: () => number; previous?: string } = {}): ProofKeys {
  if (secret.length < 32) throw new Error('the gateway proof secret must be at least 32 characters');
  if (options.previous !== undefined && options.previous.length < 32) throw new Error('the previous gateway proof secret must be at least 32 characters');
  const now = options.now ?? Date.now;
  const macWith = (key: string) => (data: string) => createHmac('sha256', key).update(data).digest();
  const mac = macWith(secret);
  // rotation: during the overlap a proof signed with the previous secret is accepted too (never signed with it)
  const accepted = [mac, ...(options.previous ? [macWith(options.previous)] : [])];
  const seen = new ReplayGuard(now);

  return {
    sign(caller, request) {
      const iat = now();
      const payload: Payload = {
        aud: request.audience,
        dig: requestDigest(request),
        iat,
        exp: iat + PROOF_LIFETIME_MS,
        jti: randomBytes(12).toString('base64url'),
        c: {
          kind: caller.kind,
          tid: caller.tokenId,
          cid: caller.clientId,
          sub: caller.principal,
          dep: caller.department,
          reg: caller.region,
          scp: [...caller.scopes],
          pps: [...caller.allowedPurposes],
          pur: caller.purpose,
        },
      };
      const body = `${VERSION}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
      return `${body}.${mac(body).toString('base64url')}`;
    },

    verify(token, request) {
      if (!token) throw new ProofError('this service answers only requests that come through the gateway');
      const parts = token.split('.');
      if (parts.length !== 3 || parts[0] !== VERSION) throw new ProofError('the gateway proof is malformed');
      const body = `${parts[0]}.${parts[1]}`;
      const given = Buffer.from(parts[2]!, 'base64url');
      const signedBy = (m: (data: string) => Buffer) => {
        const expected = m(body);
        return given.length === expected.length && timingSafeEqual(given, expected);
      };
      if (!accepted.some(signedBy)) throw new ProofError('the gateway proof is not valid (signature)');
      let p: Payload;
      try {
        p = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Payload;
      } catch {
        throw new ProofError('the gateway proof is malformed');
      }
      const at = now();
      if (p.aud !== request.audience) throw new ProofError('the gateway proof is for another service');
      if (p.exp < at) throw new ProofError('the gateway proof has expired');
      if (p.iat > at + CLOCK_SKEW_MS || p.exp - p.iat > PROOF_LIFETIME_MS) throw new ProofError('the gateway proof is not valid (lifetime)');
      if (p.dig !== requestDigest(request)) throw new ProofError('the gateway proof is for another request');
      if (!seen.first(p.jti, p.exp)) throw new ProofError('the gateway proof was used before');
      return {
        kind: p.c.kind,
        tokenId: p.c.tid,
        clientId: p.c.cid,
        principal: p.c.sub,
        department: p.c.dep,
        region: p.c.reg,
        scopes: new Set(p.c.scp),
        allowedPurposes: new Set(p.c.pps),
        purpose: p.c.pur,
      };
    },
  };
}

/** Proof ids seen and not yet expired: a second use within the lifetime is a replay. */
class ReplayGuard {
  private readonly until = new Map<string, number>();
  private nextSweep = 0;

  constructor(private readonly now: () => number) {}

  /** An expired proof is refused before it gets here, so its id can be forgotten. */
  first(id: string, expires: number): boolean {
    const at = this.now();
    if (at >= this.nextSweep) {
      for (const [seen, exp] of this.until) if (exp < at) this.until.delete(seen);
      this.nextSweep = at + 1_000;
    }
    if (this.until.has(id)) return false;
    this.until.set(id, expires);
    return true;
  }
}
