import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifestJson, registeredOperation } from '../lib/contracts/operations.js';
import { runScript } from '../test/kit/runScript.js';

/**
 * `npm run schema:check` as CI and a reviewer run it, on copies: the subgraph SDL files copied to a scratch folder and
 * changed there, against the checked-in supergraph, with the repository's registered operations or a scratch set.
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credit-graph-schema-check-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let copies = 0;
/** A copy of the subgraphs' SDL with `change` applied to enforcement.graphql (which must change). */
function subgraphsWith(change: (sdl: string) => string): string {
  const copy = join(dir, `subgraphs-${++copies}`);
  mkdirSync(copy);
  for (const file of readdirSync('schema').filter((f) => f.endsWith('.graphql') && f !== 'supergraph.graphql')) cpSync(join('schema', file), join(copy, file));
  const file = join(copy, 'enforcement.graphql');
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  expect(after).not.toBe(before);
  writeFileSync(file, after);
  return copy;
}

/** A folder of manifests: client id → operation bodies. */
function operationsOf(clients: Record<string, string[]>): string {
  const folder = join(dir, `operations-${++copies}`);
  mkdirSync(folder);
  for (const [client, bodies] of Object.entries(clients)) writeFileSync(join(folder, `${client}.json`), manifestJson(bodies.map(registeredOperation)));
  return folder;
}

const schemaCheck = async (...args: string[]) => {
  const run = await runScript('scripts/schemaCheck.ts', join(dir, 'data'), args);
  return { ...run, output: run.stdout + run.stderr };
};

/** CreditCheck's fields in enforcement.graphql: the verdict line, renamed or followed by a new field. */
const VERDICT = /^ {2}verdict: Verdict!$/m;

describe('npm run schema:check', () => {
  test('on the repository as it is: no changes, every registered operation validates, exit 0', async () => {
    const run = await schemaCheck();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/against the released supergraph, schema\/supergraph.graphql as committed \([0-9a-f]+\)\n/);
    expect(run.stdout).toContain('no changes to the API schema');
    expect(run.stdout).toMatch(/registered operations \(operations\/\): \d+, of \d+ client/);
    expect(run.stdout).toContain('schema check passed: no changes');
  });

  test('a safe change (a nullable field added) passes and is reported as safe', async () => {
    const subgraphs = subgraphsWith((sdl) => sdl.replace(VERDICT, '  verdict: Verdict!\n  checkedAt: String'));
    const run = await schemaCheck('--subgraphs', subgraphs);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^safe \(1\):\n {2}- Field 'checkedAt' was added to object type 'CreditCheck' \[FIELD_ADDED CreditCheck\.checkedAt\]$/m);
    expect(run.stdout).not.toMatch(/^breaking/m);
    expect(run.stdout).toContain('schema check passed: 1 change (0 breaking, 0 dangerous, 1 safe)');
  });

  test('a breaking change a registered operation uses fails, naming the client, the operation and the error', async () => {
    const subgraphs = subgraphsWith((sdl) => sdl.replace(VERDICT, '  outcome: Verdict!'));
    const operations = operationsOf({
      'bank-x': [
        'query Verdict($code: ID!) { creditCheck(code: $code, scenario: FINANCING) { code verdict } }',
        'query Codes($codes: [ID!]!) { creditChecks(codes: $codes, scenario: FINANCING) { code } }',
      ],
      'portal-y': ['query Measures($code: ID!) { creditCheck(code: $code, scenario: BIDDING) { measures { code } } }'],
    });
    const run = await schemaCheck('--subgraphs', subgraphs, '--operations', operations);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^breaking \(1\):\n {2}- Field 'verdict' was removed from object type 'CreditCheck' \[FIELD_REMOVED CreditCheck\.verdict\]\n {6}used by bank-x Verdict$/m,
    );
    expect(run.stdout).toContain(`bank-x Verdict: Cannot query field "verdict" on type "CreditCheck".`);
    expect(run.stdout).not.toMatch(/bank-x Codes:|portal-y Measures:/);
    expect(run.stderr).toContain('schema check FAILED: 1 registered operation would break');
  });

  test('breaking changes no registered operation fails on are reported, and pass with a warning', async () => {
    // a field nobody selects, and a scenario an operation may only be sent (through its variable)
    const subgraphs = subgraphsWith((sdl) => sdl.replace(/^ {2}title: String!\n/m, '').replace(/^ {2}TAX\n/m, ''));
    const operations = operationsOf({
      'bank-x': [
        'query Check($code: ID!, $scenario: Scenario!) { creditCheck(code: $code, scenario: $scenario) { measures { memorandum { documentNumber } } } }',
      ],
    });
    const run = await schemaCheck('--subgraphs', subgraphs, '--operations', operations);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^breaking \(2\):$/m);
    expect(run.stdout).toMatch(
      /^ {2}- Field 'title' was removed from object type 'Memorandum' \[FIELD_REMOVED Memorandum\.title\]\n {6}used by no registered operation$/m,
    );
    expect(run.stdout).toMatch(/^ {2}- Enum value 'TAX' was removed from enum 'Scenario' \[ENUM_VALUE_REMOVED Scenario\.TAX\]\n {6}used by bank-x Check$/m);
    expect(run.stdout).toContain('all 1 validate against the new API schema');
    expect(run.stdout).toContain(
      'warning: 2 breaking changes, which no registered operation fails on (1 reaches operations through their variables: some values they may send would be refused); unregistered callers may still depend on what changed',
    );
    expect(run.stdout).toContain('schema check passed: 2 changes (2 breaking, 0 dangerous, 0 safe)');
  });

  test('subgraphs that do not compose fail', async () => {
    const subgraphs = subgraphsWith((sdl) => sdl.replace(VERDICT, '  verdict: Verdict!\n  reviewer: Reviewer'));
    const run = await schemaCheck('--subgraphs', subgraphs);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/schema check FAILED: the subgraphs do not compose:\n {2}.*Reviewer/);
  });

  test('an invalid manifest fails, naming the file and the problem; a bad flag is a usage error', async () => {
    const operations = join(dir, 'operations-bad');
    mkdirSync(operations);
    const op = registeredOperation('query Codes { creditCheck(code: "x", scenario: TAX) { code } }');
    writeFileSync(join(operations, 'bank-z.json'), manifestJson([{ ...op, id: 'f'.repeat(64) }]));
    const run = await schemaCheck('--operations', operations);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${join(operations, 'bank-z.json')}: operation 1 (Codes): id "${'f'.repeat(64)}" is not the SHA-256 of the body (${op.id})`);

    const usage = await schemaCheck('--subgraph', 'schema');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run schema:check');
  });
});
