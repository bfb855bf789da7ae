import { ANONYMOUS, type Caller, type CallerKind } from '../../lib/contracts/caller.js';

/** A caller as the gateway would vouch for it, for in-process tests of a subgraph or the policy. */
export function callerOf(
  kind: CallerKind,
  options: { department?: string; region?: string; subject?: string; scopes?: string[]; purposes?: string[]; purpose?: string } = {},
): Caller {
  if (kind === 'anonymous') return ANONYMOUS;
  return {
    kind,
    tokenId: `test-${kind}-token`,
    clientId: `test-${kind}`,
    principal: options.subject ?? `test-${kind}`,
    department: options.department ?? null,
    region: options.region ?? null,
    scopes: new Set(options.scopes ?? []),
    allowedPurposes: new Set(options.purposes ?? []),
    purpose: options.purpose ?? null,
  };
}
