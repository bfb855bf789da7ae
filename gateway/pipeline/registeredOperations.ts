import type { Caller, CallerKind } from '../../lib/contracts/caller.js';
import { operationId, type RegisteredOperation } from '../../lib/contracts/operations.js';
import { ErrorCode } from '../../lib/platform/errors.js';
import type { Refusal } from '../../lib/platform/http/serve.js';
import { noteDocument } from '../../lib/platform/observe/observeRequest.js';

type Registered = Pick<RegisteredOperation, 'id' | 'name' | 'body'>;

/** Every client's registered operations (lib/contracts/operations.ts reads them), looked up by id or by text. */
export class OperationRegistry {
  private readonly byClient = new Map<string, Map<string, Registered>>();

  constructor(readonly manifests: ReadonlyMap<string, readonly RegisteredOperation[]>) {
    for (const [client, operations] of manifests) this.byClient.set(client, new Map(operations.map((op) => [op.id, op])));
  }

  get size(): number {
    let n = 0;
    for (const ops of this.byClient.values()) n += ops.size;
    return n;
  }

  byId(clientId: string | null, id: string): Registered | undefined {
    return clientId === null ? undefined : this.byClient.get(clientId)?.get(id);
  }

  /** The registered operation whose text this is, for this client. */
  byBody(clientId: string | null, body: string): Registered | undefined {
    return this.byId(clientId, operationId(body));
  }
}

const SHA256 = /^(?:sha256:)?([0-9a-f]{64})$/;

/**
 * Step 2b, before Apollo reads the request: an operation sent by id (`documentId`, or Apollo's
 * `extensions.persistedQuery.sha256Hash`) becomes its registered text — only the caller's own client's operations;
 * a caller of a kind that must use registered operations is refused any other document, before it is parsed. Other
 * callers may send documents, whose hash the request's log line carries. Registered operations come by POST.
 */
export function resolveOperation(registry: () => OperationRegistry, registeredOnly: ReadonlySet<CallerKind>) {
  return (caller: Caller, body: unknown, search: URLSearchParams): Refusal | null => {
    const mustRegister = registeredOnly.has(caller.kind);
    // a batch is refused by Apollo anyway; refused here too, so a restricted caller's documents never go unchecked
    if (Array.isArray(body))
      return mustRegister ? { code: ErrorCode.OPERATION_NOT_REGISTERED, message: 'batched requests are not accepted from registered-only callers' } : null;
    if (body === null || typeof body !== 'object') {
      const query = search.get('query');
      if (search.has('documentId') || search.get('extensions')?.includes('persistedQuery')) {
        return { code: ErrorCode.BAD_USER_INPUT, message: 'registered operations are sent by POST' };
      }
      return query === null ? null : checkDocument(registry(), caller, query, mustRegister);
    }
    const request = body as { query?: unknown; documentId?: unknown; extensions?: { persistedQuery?: { sha256Hash?: unknown } } };
    const given = request.documentId ?? request.extensions?.persistedQuery?.sha256Hash;
    if (given === undefined) return typeof request.query === 'string' ? checkDocument(registry(), caller, request.query, mustRegister) : null;
    const id = typeof given === 'string' ? SHA256.exec(given)?.[1] : undefined;
    if (!id) return { code: ErrorCode.BAD_USER_INPUT, message: 'an operation id is the SHA-256 of its text, in hexadecimal' };
    const registered = registry().byId(caller.clientId, id);
    if (!registered) return { code: ErrorCode.PERSISTED_QUERY_NOT_FOUND, message: `no operation ${id} is registered for this client` };
    if (typeof request.query === 'string' && request.query !== registered.body) {
      return { code: ErrorCode.BAD_USER_INPUT, message: 'the document sent is not the registered operation its id names' };
    }
    request.query = registered.body;
    delete request.documentId;
    if (request.extensions) delete request.extensions.persistedQuery;
    noteDocument({ registered: registered.name, hash: id });
    return null;
  };
}

function checkDocument(registry: OperationRegistry, caller: Caller, query: string, mustRegister: boolean): Refusal | null {
  const registered = registry.byBody(caller.clientId, query);
  const hash = registered?.id ?? operationId(query);
  noteDocument(registered ? { registered: registered.name, hash } : { hash });
  if (registered || !mustRegister) return null;
  return {
    code: ErrorCode.OPERATION_NOT_REGISTERED,
    message: `${caller.kind} callers may send only their registered operations; register this one first (document ${hash.slice(0, 16)})`,
  };
}
