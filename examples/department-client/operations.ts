/**
 * The example's registration: its client id (the `client_id` of the department system's token) and its operations,
 * one per operation of documents.graphql, each body exactly as client.ts sends it (graphql-js `print`).
 */
import { readFileSync } from 'node:fs';
import { Kind, parse, print } from 'graphql';
import { registeredOperation, type RegisteredOperation } from '../../lib/contracts/operations.js';

export const CLIENT_ID = 'example-department';

export function exampleOperations(): RegisteredOperation[] {
  const document = parse(readFileSync(new URL('./documents.graphql', import.meta.url), 'utf8'));
  return document.definitions
    .filter((d) => d.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => registeredOperation(print({ kind: Kind.DOCUMENT, definitions: [operation] })));
}
