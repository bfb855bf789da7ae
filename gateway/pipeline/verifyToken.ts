import type { IncomingMessage } from 'node:http';
import { clientAddress } from '../../lib/http/clientAddress.js';
import type { TokenVerifier } from '../auth/verifyToken.js';
import type { GatewayContext } from './context.js';

/** Step 1: who is asking, and from where. A rejected token ends the request here with UNAUTHENTICATED (HTTP 401). */
export function verifyTokenStep(verifier: TokenVerifier, trustedProxies: ReadonlySet<string>) {
  return async ({ req }: { req: IncomingMessage }): Promise<GatewayContext> => {
    const purpose = req.headers['x-credit-purpose'];
    const { caller, refusedPurpose } = await verifier.verify(req.headers.authorization, Array.isArray(purpose) ? purpose[0] : purpose);
    return { caller, refusedPurpose, clientAddress: clientAddress(req, trustedProxies), variables: {} };
  };
}
