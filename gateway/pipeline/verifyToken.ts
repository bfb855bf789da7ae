import type { IncomingMessage } from 'node:http';
import type { TokenVerifier } from '../auth/verifyToken.js';
import { deferred, type GatewayContext } from './context.js';

/** Step 1: who is asking. A rejected token ends the request here with UNAUTHENTICATED (HTTP 401). */
export function verifyTokenStep(verifier: TokenVerifier) {
  return async ({ req }: { req: IncomingMessage }): Promise<GatewayContext> => {
    const purpose = req.headers['x-credit-purpose'];
    const { caller, refusedPurpose } = await verifier.verify(req.headers.authorization, Array.isArray(purpose) ? purpose[0] : purpose);
    return { caller, refusedPurpose, enforcement: deferred() };
  };
}
