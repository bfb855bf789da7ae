import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import { loadOperations, manifestJson, operationId, OperationsError, readManifest, registeredOperation, validateAgainst } from './operations.js';

const CHECK = 'query CreditCheck($code: ID!) { creditCheck(code: $code) { verdict } }';
const entry = (body: string, overrides: Record<string, unknown> = {}) => ({ ...registeredOperation(body), ...overrides });
/** An entry as a manifest may hold it, right or wrong: the id of its body, the name and type given. */
const raw = (body: string, name: string, type = 'query') => ({ id: operationId(body), name, type, body });
const manifest = (operations: unknown[]) => ({ format: 'apollo-persisted-query-manifest', version: 1, operations });

describe('registered operations (operations/<clientId>.json)', () => {
  test("an operation's id is the SHA-256 of its exact body, in hexadecimal", () => {
    expect(operationId(CHECK)).toBe(createHash('sha256').update(CHECK).digest('hex'));
    expect(operationId(`${CHECK} `)).not.toBe(operationId(CHECK));
    expect(registeredOperation(CHECK)).toEqual({ id: operationId(CHECK), name: 'CreditCheck', type: 'query', body: CHECK });
    expect(() => registeredOperation('{ creditCheck(code: "x") { verdict } }')).toThrow('the operation must be named');
  });

  test('a valid manifest reads as its operations, as manifestJson writes it', () => {
    const ops = [registeredOperation(CHECK), registeredOperation('mutation Ack($id: ID!) { acknowledgeTask(id: $id) { id } }')];
    expect(readManifest(JSON.parse(manifestJson(ops)), 'bank-a')).toEqual({ operations: ops, problems: [] });
    // Apollo's manifests carry the fragments an operation spreads in its body
    const withFragment = 'query Check { creditCheck(code: "x") { ...V } } fragment V on CreditCheck { verdict }';
    expect(readManifest(manifest([entry(withFragment)]), 'bank-a').problems).toEqual([]);
  });

  test('every problem is listed, and only the valid operations are kept', () => {
    const ok = registeredOperation(CHECK);
    const read = readManifest(
      {
        format: 'apollo-persisted-query',
        version: 2,
        operations: [
          ok,
          entry('query Other { a }', { id: '0'.repeat(64) }),
          entry('query Other2 { a }', { name: 'Renamed' }),
          entry('query Typed { a }', { type: 'mutation' }),
          raw('query A { a } query B { b }', 'A'),
          raw('type T { a: Int }', 'T'),
          { ...ok },
          entry('query CreditCheck { b }'),
          { id: 'x', name: 'Broken', type: 'query', body: 'query Broken {' },
          'not an object',
        ],
      },
      'bank a',
    );
    expect(read.operations).toEqual([ok]);
    expect(read.problems).toEqual([
      'client id "bank a" is not one word of printable ASCII',
      'format must be "apollo-persisted-query-manifest", not "apollo-persisted-query"',
      'version must be 1, not 2',
      `operation 2 (Other): id "${'0'.repeat(64)}" is not the SHA-256 of the body (${operationId('query Other { a }')})`,
      "operation 3 (Renamed): the body's operation is named Other2, not Renamed",
      'operation 4 (Typed): the body is a query, not a mutation',
      'operation 5 (A): the body must hold exactly one operation, not 2',
      'operation 6 (T): the body may hold only an operation and its fragments',
      `operation 7 (CreditCheck): the same body is registered twice (id ${ok.id})`,
      'operation 8 (CreditCheck): the name CreditCheck is registered twice',
      'operation 9 (Broken): the body does not parse: Syntax Error: Expected Name, found <EOF>.',
      'operation 10: not an object',
    ]);
    expect(readManifest([], 'bank-a').problems).toEqual(['not a JSON object']);
    expect(readManifest({ format: 'apollo-persisted-query-manifest', version: 1 }, 'bank-a').problems).toEqual(['operations must be an array']);
  });

  describe('loadOperations', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'credit-graph-operations-'));
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    test('reads each <clientId>.json of a folder; other files are ignored; a missing folder registers nothing', async () => {
      writeFileSync(join(dir, 'bank-a.json'), manifestJson([registeredOperation(CHECK)]));
      writeFileSync(join(dir, 'portal.json'), manifestJson([]));
      writeFileSync(join(dir, 'README.md'), 'how to register');
      const loaded = await loadOperations(dir);
      expect([...loaded.keys()]).toEqual(['bank-a', 'portal']);
      expect(loaded.get('bank-a')).toEqual([registeredOperation(CHECK)]);
      expect(await loadOperations(join(dir, 'none'))).toEqual(new Map());
    });

    test('refuses a folder with any invalid manifest, naming every file and problem', async () => {
      writeFileSync(join(dir, 'bank-a.json'), '{ not json');
      writeFileSync(join(dir, 'bank-b.json'), JSON.stringify(manifest([entry(CHECK, { type: 'subscription' })])));
      mkdirSync(join(dir, 'sub'));
      const error = await loadOperations(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OperationsError);
      expect((error as OperationsError).problems).toEqual([
        expect.stringMatching(new RegExp(`^${join(dir, 'bank-a.json')}: not JSON \\(`)),
        `${join(dir, 'bank-b.json')}: operation 1 (CreditCheck): the body is a query, not a subscription`,
      ]);
      expect((error as Error).message).toContain('registered operations are not valid:\n  ');
    });
  });

  test('validateAgainst names each client and operation that does not validate against a schema, with the reason', () => {
    const schema = buildSchema('type Query { creditCheck(code: ID!): Check! } type Check { verdict: String! }');
    const ok = registeredOperation(CHECK);
    const stale = registeredOperation('query Old { creditCheck(code: "x") { outcome } }');
    expect(
      validateAgainst(
        schema,
        new Map([
          ['bank-a', [ok]],
          ['bank-b', [ok, stale]],
        ]),
      ),
    ).toEqual([{ clientId: 'bank-b', name: 'Old', id: stale.id, message: 'Cannot query field "outcome" on type "Check".' }]);
  });
});
