import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What every log line and outgoing call of one request carries. */
export interface RequestScope {
  requestId: string;
  traceId?: string;
}

const scope = new AsyncLocalStorage<RequestScope>();

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's id is kept when it looks like one (a load balancer's, a client's UUID); anything else is replaced. */
const ACCEPTABLE = /^[A-Za-z0-9._:-]{8,128}$/;
/** A run of digits as long as a phone number or a resident ID: an id that could carry a person's number is not logged. */
const NUMBER_LIKE = /[0-9]{11,}/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && ACCEPTABLE.test(given) && !NUMBER_LIKE.test(given) ? given : randomUUID();
}

export function inRequest<T>(request: RequestScope, work: () => T): T {
  return scope.run(request, work);
}

export function currentRequest(): RequestScope | undefined {
  return scope.getStore();
}
