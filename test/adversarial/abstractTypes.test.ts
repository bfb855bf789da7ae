/**
 * Deny by default everywhere: an object reached through an interface or a union is judged as the type it is, and a
 * type nobody classified is closed — also when such a type is added to the graph later. Tried on a small schema in
 * process: the policy's own steps (what the gateway adds to the operation, then the walk over the answer).
 */
import { buildSchema, execute, parse, type OperationDefinitionNode } from 'graphql';
import { ANONYMOUS } from '../../lib/contracts/caller.js';
import { Classification } from '../../gateway/policy/classification.js';
import { applyPolicy } from '../../gateway/policy/applyPolicy.js';
import { addPolicyFields, policySelections, TYPENAME_ALIAS } from '../../gateway/policy/rewrite.js';

const SDL = /* GraphQL */ `
  directive @access(public: Boolean, scopes: [[String!]!]) on OBJECT | FIELD_DEFINITION | INTERFACE
  directive @sensitive(kind: String!, when: String) on FIELD_DEFINITION

  type Query {
    node(id: ID!): Node @access(public: true)
    nodes: [Node!] @access(public: true)
    thing(id: ID!): Thing @access(public: true)
  }
  interface Node {
    id: ID!
  }
  "Classified: public."
  type Open implements Node @access(public: true) {
    id: ID!
    note: String
  }
  "Added later, classified by nobody: closed to everyone."
  type Unclassified implements Node {
    id: ID!
    secret: String
  }
  union Thing = Open | Unclassified
`;

const schema = buildSchema(SDL);
const classification = Classification.fromSupergraph(SDL);
const ROWS: Record<string, { __typename: string; id: string; note?: string; secret?: string }> = {
  o: { __typename: 'Open', id: 'o', note: 'public note' },
  u: { __typename: 'Unclassified', id: 'u', secret: 'the secret' },
};
const rootValue = {
  node: ({ id }: { id: string }) => ROWS[id],
  thing: ({ id }: { id: string }) => ROWS[id],
  nodes: () => Object.values(ROWS),
};

/** What the gateway does: add the policy's fields, execute, then enforce on the original operation. */
function run(query: string, options: { dropTypename?: boolean } = {}) {
  const document = parse(query);
  const rewritten = addPolicyFields(document, schema, policySelections(schema, classification));
  const result = execute({ schema, document: rewritten, rootValue });
  const data = JSON.parse(JSON.stringify((result as { data: unknown }).data), (key, value) =>
    options.dropTypename && key === TYPENAME_ALIAS ? undefined : value,
  );
  const operation = document.definitions[0] as OperationDefinitionNode;
  return applyPolicy(data, { op: { schema, fragments: {}, variables: {}, operation }, classification, caller: ANONYMOUS, hashKey: 'k' });
}

describe('the policy through interfaces and unions', () => {
  test('an unclassified type behind an interface is withheld; a classified one is shown', () => {
    const closed = run('{ node(id: "u") { id ... on Unclassified { secret } } }');
    expect(closed.data).toEqual({ node: null });
    expect(closed.errors.map((e) => e.extensions?.code)).toContain('FORBIDDEN_FIELD');
    const open = run('{ node(id: "o") { id ... on Open { note } } }');
    expect(open.data).toEqual({ node: { id: 'o', note: 'public note' } });
    expect(open.errors).toEqual([]);
  });

  test('in a list, rows of a closed type leave the list; rows of an open one stay', () => {
    const out = run('{ nodes { id ... on Unclassified { secret } ... on Open { note } } }');
    expect(out.data).toEqual({ nodes: [{ id: 'o', note: 'public note' }] });
    expect(JSON.stringify(out.data)).not.toContain('secret');
  });

  test('through a union, the same', () => {
    expect(run('{ thing(id: "u") { ... on Unclassified { id secret } } }').data).toEqual({ thing: null });
    expect(run('{ thing(id: "o") { ... on Open { note } } }').data).toEqual({ thing: { note: 'public note' } });
  });

  test('an object whose type the answer does not tell is withheld', () => {
    const out = run('{ node(id: "o") { id } }', { dropTypename: true });
    expect(out.data).toEqual({ node: null });
    expect(out.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN_FIELD']);
  });

  test('the policy asks every abstract field for the concrete type, under its reserved alias', () => {
    const rewritten = addPolicyFields(parse('{ node(id: "o") { id } thing(id: "o") { __typename } }'), schema, policySelections(schema, classification));
    const fetched = execute({ schema, document: rewritten, rootValue }) as { data: Record<string, Record<string, unknown>> };
    expect(fetched.data.node![TYPENAME_ALIAS]).toBe('Open');
    expect(fetched.data.thing![TYPENAME_ALIAS]).toBe('Open');
  });
});
