import { SignJWT, errors, jwtVerify } from 'jose';
import type { Caller, CallerKind } from './caller.js';

/**
 * The gateway's proof (design.md: subgraphs trust only the gateway): a short-lived HS256 token, signed
 * with a secret only the gateway and the subgraphs hold, carrying the caller the gateway verified.
 * A request to a subgraph without a valid proof is refused.
 */
export const PROOF_HEADER = 'x-credit-gateway-proof';
const ISSUER = 'credit-graph-gateway';
const AUDIENCE = 'credit-graph-subgraphs';
const TTL_SECONDS = 60;

export class ProofError extends Error {}

export interface ProofKeys {
  sign(caller: Caller): Promise<string>;
  verify(token: string | undefined): Promise<Caller>;
}

export function proofKeys(secret: string): ProofKeys {
  if (secret.length < 32) throw new Error('the gateway proof secret must be at least 32 characters');
  const key = new TextEncoder().encode(secret);
  return {
    sign: (caller) =>
      new SignJWT({
        kind: caller.kind,
        token_id: caller.tokenId,
        client_id: caller.clientId,
        department: caller.department,
        region: caller.region,
        scope: [...caller.scopes].join(' '),
        purposes: [...caller.allowedPurposes],
        purpose: caller.purpose,
      })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(caller.principal ?? '')
        .setIssuedAt()
        .setExpirationTime(`${TTL_SECONDS}s`)
        .sign(key),
    async verify(token) {
      if (!token) throw new ProofError('this service answers only requests that come through the gateway');
      try {
        const { payload: p } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
        return {
          kind: p.kind as CallerKind,
          tokenId: (p.token_id as string | null) ?? null,
          clientId: (p.client_id as string | null) ?? null,
          principal: p.sub || null,
          department: (p.department as string | null) ?? null,
          region: (p.region as string | null) ?? null,
          scopes: new Set(String(p.scope ?? '').split(' ').filter(Boolean)),
          allowedPurposes: new Set((p.purposes as string[] | undefined) ?? []),
          purpose: (p.purpose as string | null) ?? null,
        };
      } catch (error) {
        if (error instanceof errors.JOSEError) throw new ProofError(`the gateway proof is not valid (${error.code})`);
        throw error;
      }
    },
  };
}
