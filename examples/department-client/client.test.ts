import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { print } from 'graphql';
import { mintToken } from '../../gateway/auth/mintToken.js';
import { operationId, readManifest, validateAgainst } from '../../lib/contracts/operations.js';
import { demoDataset, showcaseSubject } from '../../lib/demo/dataset.js';
import { apiSchemaOf } from '../../schema/apiSchema.js';
import { supergraphSdl } from '../../schema/files.js';
import type { RunningSystem } from '../../scripts/system.js';
import { measuresFor } from '../../subgraphs/enforcement/catalogue/index.js';
import { runScript } from '../../test/kit/runScript.js';
import { startTestSystem } from '../../test/kit/system.js';
import { CreditGraphError, creditCheck, creditChecks } from './client.js';
import { EXAMPLE_DIR } from './codegen.js';
import { CreditCheckDocument, CreditChecksDocument } from './gql/graphql.js';
import { CLIENT_ID } from './operations.js';

const MANIFEST = new URL('../../operations/example-department.json', import.meta.url);

/** Every file under `dir`, relative to it, with its text. */
const filesUnder = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => [relative(dir, join(e.parentPath, e.name)), readFileSync(join(e.parentPath, e.name), 'utf8')]),
  );

describe('the example department client: generated code and registration', () => {
  test('`npm run codegen` makes exactly what is checked in (run it after an SDL change or a change to documents.graphql)', async () => {
    const out = await mkdtemp(join(tmpdir(), 'credit-graph-codegen-'));
    try {
      const run = await runScript('examples/department-client/generate.ts', join(out, 'data'), ['--out', out, '--operations', join(out, 'operations')]);
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(readFileSync(join(out, 'schema.graphql'), 'utf8')).toBe(readFileSync(join(EXAMPLE_DIR, 'schema.graphql'), 'utf8'));
      expect(filesUnder(join(out, 'gql'))).toEqual(filesUnder(join(EXAMPLE_DIR, 'gql')));
      expect(readFileSync(join(out, 'operations', `${CLIENT_ID}.json`), 'utf8')).toBe(readFileSync(MANIFEST, 'utf8'));
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  test('its manifest registers exactly the documents client.ts sends, by the SHA-256 of their text, valid against the API schema', () => {
    const { operations, problems } = readManifest(JSON.parse(readFileSync(MANIFEST, 'utf8')), CLIENT_ID);
    expect(problems).toEqual([]);
    const sent = [CreditCheckDocument, CreditChecksDocument].map((document) => print(document));
    expect(operations.map((op) => ({ id: op.id, type: op.type, body: op.body }))).toEqual(sent.map((body) => ({ id: operationId(body), type: 'query', body })));
    expect(operations.map((op) => op.name)).toEqual(['CreditCheck', 'CreditChecks']);
    expect(validateAgainst(apiSchemaOf(supergraphSdl()), new Map([[CLIENT_ID, operations]]))).toEqual([]);
  });
});

describe('the example department client against the system (pglite)', () => {
  let system: RunningSystem;
  let token: string;
  const showcase = showcaseSubject();
  // the showcase company's black entry (construction, Kunshan) restricts bidding by the catalogue's measures
  const entry = demoDataset().entries.find((e) => e.subjectCode === showcase.code && e.kind === 'BLACK')!;
  const restricting = measuresFor({ kind: 'BLACK', field: entry.field, region: showcase.region }, 'BIDDING')
    .map((m) => m.code)
    .sort();
  const unknown = '11010519491231002X';

  beforeAll(async () => {
    system = await startTestSystem({ name: 'pglite' });
    // a department approval system's token: its client id is the one its operations are registered under
    token = await mintToken({ caller: 'department', department: 'MOF', scopes: ['check:run'], clientId: CLIENT_ID });
  });
  afterAll(() => system?.stop());

  test('creditCheck answers one subject, typed: the verdict, the measures that apply and the entries behind them', async () => {
    expect(restricting.length).toBeGreaterThan(0);
    const check = await creditCheck(system.gatewayUrl, token, showcase.code, 'BIDDING');
    expect(check).toMatchObject({ code: showcase.code, scenario: 'BIDDING', verdict: 'RESTRICTED' });
    expect(check.measures.map((m) => m.code).sort()).toEqual(restricting);
    expect(check.measures.every((m) => m.effect === 'RESTRICTIVE' && m.memorandum.documentNumber !== '')).toBe(true);
    expect(check.entries).toEqual([{ kind: 'BLACK', field: entry.field }]);
    expect((await creditCheck(system.gatewayUrl, token, unknown, 'BIDDING')).verdict).toBe('CLEAR');
  });

  test('creditChecks answers a batch in the order asked, as the single checks do', async () => {
    const checks = await creditChecks(system.gatewayUrl, token, [unknown, showcase.code], 'BIDDING');
    expect(checks.map((c) => [c.code, c.verdict])).toEqual([
      [unknown, 'CLEAR'],
      [showcase.code, 'RESTRICTED'],
    ]);
    expect(checks[1]!.measures.map((m) => m.code).sort()).toEqual(restricting);
  });

  test('a refusal comes back as a CreditGraphError with its status and code', async () => {
    const unscoped = await mintToken({ caller: 'department', department: 'MOF', scopes: ['credit:read'], clientId: CLIENT_ID });
    const refused = await creditChecks(system.gatewayUrl, unscoped, [showcase.code], 'BIDDING').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CreditGraphError);
    expect(refused).toMatchObject({ status: 403, errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })] });
  });
});
