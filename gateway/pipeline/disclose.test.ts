/**
 * A3, mask key rotation, in the disclosure step alone: values are hashed with the current key; while a previous key is
 * configured, `extensions.hashLinks` maps each hash shown to the hash the previous key gives the same value, and only
 * those; without a previous key there are no links.
 */
import type { GraphQLRequestContextWillSendResponse, GraphQLRequestListener } from '@apollo/server';
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { ANONYMOUS, type Caller } from '../../lib/contracts/caller.js';
import type { QueryLog } from '../audit/queryLog.js';
import { Classification } from '../policy/classification.js';
import { keyedHash } from '../policy/masks.js';
import type { GatewayContext } from './context.js';
import { discloseStep, type DiscloseOptions } from './disclose.js';

const SDL = /* GraphQL */ `
  directive @access(public: Boolean, scopes: [[String!]!]) on OBJECT | FIELD_DEFINITION | INTERFACE
  directive @sensitive(kind: String!, when: String) on FIELD_DEFINITION

  type Query {
    holder(id: ID!): Holder @access(public: true)
    holders: [Holder!] @access(public: true)
  }
  type Holder @access(public: true) {
    id: ID!
    idNumber: String @sensitive(kind: "PERSONAL_ID")
    "Closed to a bank, and non-null: where it is asked for, the holder becomes null."
    note: String! @access(scopes: [["credit:read:secret"]])
  }
`;
const schema = buildSchema(SDL);
const classification = Classification.fromSupergraph(SDL);
const OLD = 'the mask hash key before the rotation';
const NEW = 'the mask hash key after the rotation';
const ID = '320583199001011234';
const OTHER = '110101198502023456';
const bank: Caller = { ...ANONYMOUS, kind: 'bank', tokenId: 'token-1', clientId: 'bank-1', scopes: new Set(['credit:read']) };

const logging = { appendAll: async () => undefined } as unknown as QueryLog;
const failing = {
  appendAll: async () => {
    throw new Error('the query log is down');
  },
} as unknown as QueryLog;

type Keys = Pick<DiscloseOptions, 'hashKey' | 'hashKeyPrevious'>;

/** One executed response through the disclosure step, as the gateway's pipeline hands it over. */
async function disclose(keys: Keys, query: string, data: Record<string, unknown>, options: { caller?: Caller; queryLog?: QueryLog } = {}) {
  const step = discloseStep({ classification, queryLog: options.queryLog ?? logging, logTimeoutMs: 1000, ...keys });
  const listener = (await step.requestDidStart!({} as never)) as GraphQLRequestListener<GatewayContext>;
  const document = parse(query);
  const singleResult: { data?: Record<string, unknown> | null; extensions?: Record<string, unknown> } = { data: structuredClone(data) };
  const context = {
    response: { body: { kind: 'single', singleResult } },
    document,
    operation: document.definitions[0] as OperationDefinitionNode,
    schema,
    queryHash: 'q',
    contextValue: { caller: options.caller ?? bank, refusedPurpose: null, clientAddress: '127.0.0.1', variables: {} },
  };
  await listener.willSendResponse!(context as unknown as GraphQLRequestContextWillSendResponse<GatewayContext>);
  return singleResult;
}

const HOLDERS = '{ holders { id idNumber } }';
const threeHolders = {
  holders: [
    { id: '1', idNumber: ID },
    { id: '2', idNumber: ID },
    { id: '3', idNumber: OTHER },
  ],
};

describe('mask key rotation in the disclosure step (A3)', () => {
  test('during the overlap the value is hashed with the current key, and linked to the hash the previous key gives it', async () => {
    const before = await disclose({ hashKey: OLD }, HOLDERS, threeHolders);
    const during = await disclose({ hashKey: NEW, hashKeyPrevious: OLD }, HOLDERS, threeHolders);
    const seenBefore = (before.data!.holders as { idNumber: string }[])[0]!.idNumber;
    const seenDuring = (during.data!.holders as { idNumber: string }[])[0]!.idNumber;
    expect(seenBefore).toBe(keyedHash(OLD, ID));
    expect(seenDuring).toBe(keyedHash(NEW, ID));
    // one link per value, however often it is shown; the input itself is in no link
    expect(during.extensions?.hashLinks).toEqual({ [keyedHash(NEW, ID)]: seenBefore, [keyedHash(NEW, OTHER)]: keyedHash(OLD, OTHER) });
    expect(JSON.stringify(during)).not.toContain(ID);
    expect(before.extensions).not.toHaveProperty('hashLinks');
  });

  test('once the previous key is removed, a response carries no links', async () => {
    const after = await disclose({ hashKey: NEW }, HOLDERS, threeHolders);
    expect((after.data!.holders as { idNumber: string }[])[0]!.idNumber).toBe(keyedHash(NEW, ID));
    expect(after.extensions).not.toHaveProperty('hashLinks');
  });

  test('a caller shown no hash gets no links, even during the overlap', async () => {
    const anonymous = await disclose({ hashKey: NEW, hashKeyPrevious: OLD }, HOLDERS, threeHolders, { caller: ANONYMOUS });
    expect((anonymous.data!.holders as { idNumber: string }[])[0]!.idNumber).toMatch(/^320583\*+1234$/);
    expect(anonymous.extensions).not.toHaveProperty('hashLinks');
  });

  test('only hashes the response still shows are linked: not of a value nulled with its parent', async () => {
    const res = await disclose({ hashKey: NEW, hashKeyPrevious: OLD }, '{ a: holder(id: "1") { idNumber note } b: holder(id: "3") { idNumber } }', {
      a: { idNumber: ID, note: 'n' },
      b: { idNumber: OTHER },
    });
    expect(res.data).toEqual({ a: null, b: { idNumber: keyedHash(NEW, OTHER) } });
    expect(res.extensions?.hashLinks).toEqual({ [keyedHash(NEW, OTHER)]: keyedHash(OLD, OTHER) });
  });

  test('a partner answer withheld because the query log failed carries no links either (A4, A5: no log, no data)', async () => {
    const quiet = console.error;
    console.error = () => undefined;
    try {
      const res = await disclose({ hashKey: NEW, hashKeyPrevious: OLD }, HOLDERS, threeHolders, { queryLog: failing });
      expect(res.data).toBeNull();
      expect(res.extensions).not.toHaveProperty('hashLinks');
    } finally {
      console.error = quiet;
    }
  });
});
