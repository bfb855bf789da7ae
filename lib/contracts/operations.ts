/**
 * Registered operations: the operations each client (a token's `client_id`) has registered, one file per client,
 * `operations/<clientId>.json`, in Apollo's persisted-query manifest format:
 *
 *   { "format": "apollo-persisted-query-manifest", "version": 1,
 *     "operations": [{ "id": "<SHA-256 hex of body>", "name": "CreditCheck", "type": "query", "body": "query CreditCheck…" }] }
 *
 * This module only reads and checks that format (the gateway serves from it, `npm run schema:check` checks schema
 * changes against it); nothing here knows about HTTP or tokens.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GraphQLError, Kind, parse, validate, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';

export const MANIFEST_FORMAT = 'apollo-persisted-query-manifest';
export const MANIFEST_VERSION = 1;
export const OPERATION_TYPES = ['query', 'mutation', 'subscription'] as const;
export type OperationType = (typeof OPERATION_TYPES)[number];

/** One registered operation: its body exactly as clients send it, and the id that names it (sha256 of the body). */
export interface RegisteredOperation {
  id: string;
  name: string;
  type: OperationType;
  body: string;
}

/** A client id as a token carries it (`client_id`): one word of printable ASCII, no quotes or backslashes. */
const CLIENT_ID = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** The id of an operation: the SHA-256 of its exact body, in lowercase hexadecimal. */
export function operationId(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/**
 * A body as a registered operation (id, name and type read from it). Throws when the body is not one named
 * operation; the fragments it spreads may come with it, as Apollo's manifests carry them.
 */
export function registeredOperation(body: string): RegisteredOperation {
  const read = readBody(body);
  if (typeof read === 'string') throw new Error(read);
  return { id: operationId(body), name: read.name!.value, type: read.operation, body };
}

/** A manifest's text, as `operations/<clientId>.json` holds it. */
export function manifestJson(operations: readonly RegisteredOperation[]): string {
  const manifest = { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, operations: operations.map(({ id, name, type, body }) => ({ id, name, type, body })) };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * One client's manifest (parsed JSON): its valid operations, and a line for each problem found (format, version,
 * an id that is not the body's SHA-256, a repeated name or id, a body that is not a single named operation of the
 * stated name and type). An operation with a problem is left out of `operations`.
 */
export function readManifest(json: unknown, clientId: string): { operations: RegisteredOperation[]; problems: string[] } {
  const problems: string[] = [];
  const operations: RegisteredOperation[] = [];
  if (!CLIENT_ID.test(clientId)) problems.push(`client id ${JSON.stringify(clientId)} is not one word of printable ASCII`);
  if (!isObject(json)) return { operations, problems: [...problems, 'not a JSON object'] };
  if (json.format !== MANIFEST_FORMAT) problems.push(`format must be "${MANIFEST_FORMAT}", not ${JSON.stringify(json.format)}`);
  if (json.version !== MANIFEST_VERSION) problems.push(`version must be ${MANIFEST_VERSION}, not ${JSON.stringify(json.version)}`);
  if (!Array.isArray(json.operations)) return { operations, problems: [...problems, 'operations must be an array'] };

  const names = new Set<string>();
  const ids = new Set<string>();
  json.operations.forEach((entry: unknown, index) => {
    const label = `operation ${index + 1}${isObject(entry) && typeof entry.name === 'string' ? ` (${entry.name})` : ''}`;
    const problem = checkEntry(entry);
    if (problem) return problems.push(`${label}: ${problem}`);
    const op = entry as RegisteredOperation;
    if (ids.has(op.id)) return problems.push(`${label}: the same body is registered twice (id ${op.id})`);
    if (names.has(op.name)) return problems.push(`${label}: the name ${op.name} is registered twice`);
    names.add(op.name);
    ids.add(op.id);
    operations.push({ id: op.id, name: op.name, type: op.type, body: op.body });
  });
  return { operations, problems };
}

/** Problems with a registered operation's manifest or the operations in it, each naming its file. */
export class OperationsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`registered operations are not valid:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Every client's registered operations from a folder of manifests (`<clientId>.json`; other files are ignored; a
 * missing folder registers nothing). Throws an OperationsError listing every problem of every file.
 */
export async function loadOperations(dir: string): Promise<Map<string, RegisteredOperation[]>> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.json') && !f.startsWith('.')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const byClient = new Map<string, RegisteredOperation[]>();
  const problems: string[] = [];
  for (const file of files) {
    const path = join(dir, file);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      problems.push(`${path}: not JSON (${(error as Error).message})`);
      continue;
    }
    const read = readManifest(json, file.slice(0, -'.json'.length));
    problems.push(...read.problems.map((p) => `${path}: ${p}`));
    byClient.set(file.slice(0, -'.json'.length), read.operations);
  }
  if (problems.length > 0) throw new OperationsError(problems);
  return byClient;
}

/** A registered operation that does not validate against a schema, with graphql-js's reason. */
export interface OperationProblem {
  clientId: string;
  name: string;
  id: string;
  message: string;
}

/** Validates every registered operation against a schema (the gateway's API schema): one entry per error. */
export function validateAgainst(schema: GraphQLSchema, operations: ReadonlyMap<string, readonly RegisteredOperation[]>): OperationProblem[] {
  const problems: OperationProblem[] = [];
  for (const [clientId, ops] of operations) {
    for (const { id, name, body } of ops) {
      for (const error of validate(schema, parse(body))) problems.push({ clientId, name, id, message: error.message });
    }
  }
  return problems;
}

function checkEntry(entry: unknown): string | null {
  if (!isObject(entry)) return 'not an object';
  const { id, name, type, body } = entry;
  if (typeof body !== 'string') return 'body must be a string';
  if (typeof name !== 'string' || name === '') return 'name must be a string';
  if (!OPERATION_TYPES.includes(type as OperationType)) return `type must be one of ${OPERATION_TYPES.join(', ')}, not ${JSON.stringify(type)}`;
  const operation = readBody(body);
  if (typeof operation === 'string') return operation;
  if (operation.name!.value !== name) return `the body's operation is named ${operation.name!.value}, not ${name}`;
  if (operation.operation !== type) return `the body is a ${operation.operation}, not a ${String(type)}`;
  const expected = operationId(body);
  if (id !== expected) return `id ${JSON.stringify(id)} is not the SHA-256 of the body (${expected})`;
  return null;
}

/** The one named operation of a body, or why the body is not one. */
function readBody(body: string): OperationDefinitionNode | string {
  let document: DocumentNode;
  try {
    document = parse(body);
  } catch (error) {
    return `the body does not parse: ${error instanceof GraphQLError ? error.message : String(error)}`;
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (document.definitions.some((d) => d.kind !== Kind.OPERATION_DEFINITION && d.kind !== Kind.FRAGMENT_DEFINITION))
    return 'the body may hold only an operation and its fragments';
  if (operations.length !== 1) return `the body must hold exactly one operation, not ${operations.length}`;
  if (!operations[0]!.name) return 'the operation must be named';
  return operations[0]!;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
