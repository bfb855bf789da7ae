/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query CreditCheck($code: ID!, $scenario: Scenario!) {\n  creditCheck(code: $code, scenario: $scenario) {\n    code\n    scenario\n    verdict\n    measures {\n      code\n      name\n      effect\n      legalBasis\n      memorandum {\n        documentNumber\n      }\n    }\n    entries {\n      kind\n      field\n    }\n  }\n}\n\nquery CreditChecks($codes: [ID!]!, $scenario: Scenario!) {\n  creditChecks(codes: $codes, scenario: $scenario) {\n    code\n    verdict\n    measures {\n      code\n      effect\n    }\n  }\n}": typeof types.CreditCheckDocument,
};
const documents: Documents = {
    "query CreditCheck($code: ID!, $scenario: Scenario!) {\n  creditCheck(code: $code, scenario: $scenario) {\n    code\n    scenario\n    verdict\n    measures {\n      code\n      name\n      effect\n      legalBasis\n      memorandum {\n        documentNumber\n      }\n    }\n    entries {\n      kind\n      field\n    }\n  }\n}\n\nquery CreditChecks($codes: [ID!]!, $scenario: Scenario!) {\n  creditChecks(codes: $codes, scenario: $scenario) {\n    code\n    verdict\n    measures {\n      code\n      effect\n    }\n  }\n}": types.CreditCheckDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CreditCheck($code: ID!, $scenario: Scenario!) {\n  creditCheck(code: $code, scenario: $scenario) {\n    code\n    scenario\n    verdict\n    measures {\n      code\n      name\n      effect\n      legalBasis\n      memorandum {\n        documentNumber\n      }\n    }\n    entries {\n      kind\n      field\n    }\n  }\n}\n\nquery CreditChecks($codes: [ID!]!, $scenario: Scenario!) {\n  creditChecks(codes: $codes, scenario: $scenario) {\n    code\n    verdict\n    measures {\n      code\n      effect\n    }\n  }\n}"): (typeof documents)["query CreditCheck($code: ID!, $scenario: Scenario!) {\n  creditCheck(code: $code, scenario: $scenario) {\n    code\n    scenario\n    verdict\n    measures {\n      code\n      name\n      effect\n      legalBasis\n      memorandum {\n        documentNumber\n      }\n    }\n    entries {\n      kind\n      field\n    }\n  }\n}\n\nquery CreditChecks($codes: [ID!]!, $scenario: Scenario!) {\n  creditChecks(codes: $codes, scenario: $scenario) {\n    code\n    verdict\n    measures {\n      code\n      effect\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;