import type { IncomingMessage } from 'node:http';
import type { Caller } from '../../lib/contracts/caller.js';
import { clientAddress } from '../../lib/platform/http/clientAddress.js';
import type { TokenVerifier } from '../auth/verifyToken.js';

/** Who is asking, and from where: what every later step decides on. */
export interface Identity {
  caller: Caller;
  /** A purpose stated in X-Credit-Purpose that the token does not allow. */
  refusedPurpose: string | null;
  clientAddress: string;
}

/**
 * The client a request belongs to, for what is counted or kept per client (rates, person lookups, kept answers): the
 * system a token was issued to, or, without a token, the address the request came from.
 */
export function clientOf({ caller, clientAddress }: Pick<Identity, 'caller' | 'clientAddress'>): string {
  return caller.kind === 'anonymous' ? `address:${clientAddress}` : `client:${caller.clientId ?? caller.tokenId}`;
}

/**
 * Step 1, before the body is read: who is asking, and from where. A rejected token ends the request here with
 * UNAUTHENTICATED (HTTP 401).
 */
export function identify(verifier: TokenVerifier, trustedProxies: ReadonlySet<string>) {
  return async (req: IncomingMessage): Promise<Identity> => {
    const purpose = req.headers['x-credit-purpose'];
    const { caller, refusedPurpose } = await verifier.verify(req.headers.authorization, Array.isArray(purpose) ? purpose[0] : purpose);
    return { caller, refusedPurpose, clientAddress: clientAddress(req, trustedProxies) };
  };
}
