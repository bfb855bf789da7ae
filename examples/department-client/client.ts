/**
 * A department system's typed client for credit checks: each call sends one of its registered operations
 * (documents.graphql, generated into gql/) with the system's token, and returns the answer typed as the operation
 * selects it. Nothing but fetch: any GraphQL client taking a TypedDocumentNode works the same way.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { CreditCheckDocument, CreditChecksDocument, type CreditCheckQuery, type CreditChecksQuery, type Scenario } from './gql/graphql.js';

export type { Scenario, Verdict } from './gql/graphql.js';
export type CreditCheck = CreditCheckQuery['creditCheck'];
export type BatchCheck = CreditChecksQuery['creditChecks'][number];

/** The gateway refused the request, or answered with errors: its HTTP status and GraphQL errors (`extensions.code`). */
export class CreditGraphError extends Error {
  constructor(
    readonly status: number,
    readonly errors: readonly { message: string; extensions?: { code?: string } }[],
  ) {
    super(`credit-graph answered ${status}: ${errors.map((e) => `${e.extensions?.code ?? 'ERROR'} ${e.message}`).join('; ') || 'no data'}`);
  }
}

/** One subject: may it be approved in this scenario (the token needs scope check:run). */
export async function creditCheck(url: string, token: string, code: string, scenario: Scenario): Promise<CreditCheck> {
  return (await execute(url, token, CreditCheckDocument, { code, scenario })).creditCheck;
}

/** Up to 1,000 subjects in one scenario, answered in the order asked. */
export async function creditChecks(url: string, token: string, codes: readonly string[], scenario: Scenario): Promise<BatchCheck[]> {
  return (await execute(url, token, CreditChecksDocument, { codes: [...codes], scenario })).creditChecks;
}

/**
 * POSTs the operation's text as the manifest registers it (print of the generated document): the gateway knows it by
 * its SHA-256, the id in operations/example-department.json.
 */
async function execute<Result, Variables>(url: string, token: string, document: TypedDocumentNode<Result, Variables>, variables: Variables): Promise<Result> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const answer = (await response.json().catch(() => ({}))) as { data?: Result | null; errors?: CreditGraphError['errors'] };
  // a check answers whole or not at all: any error means the verdicts cannot be relied on
  if (!response.ok || answer.errors?.length || !answer.data) throw new CreditGraphError(response.status, answer.errors ?? []);
  return answer.data;
}
