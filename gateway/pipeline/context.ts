import type { Caller } from '../../lib/auth/caller.js';
import type { Enforcement } from '../policy/enforce.js';

/** What one request carries through the gateway's pipeline, step to step. */
export interface GatewayContext {
  caller: Caller;
  /** A purpose stated in X-Credit-Purpose that the token does not allow. */
  refusedPurpose: string | null;
  /** The gateway's proof for the subgraphs, signed once per request. */
  proof?: Promise<string>;
  /** Set by the mask step; the log step waits for it (plugins' willSendResponse hooks run concurrently). */
  enforcement: Deferred<Enforcement | null>;
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
