import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { showcaseSubject } from '../../lib/demo/dataset.js';
import type { RunningSystem } from '../../scripts/system.js';
import { backends } from '../kit/backends.js';
import { graphql, startTestSystem } from '../kit/system.js';
import { as, fullReader } from '../kit/tokens.js';

/**
 * Registered operations: a bank (whose kind must use them, as in production) is served its client's registered
 * operations — by id, or by their exact text — and refused anything else before it is parsed, with nothing run; one
 * client cannot use another's; a department may still send documents of its own.
 */
const CHECK = 'query BankCheck($c: ID!) { creditCheck(code: $c, scenario: FINANCING) { verdict } }';
const PORTAL_ONLY = 'query PortalFile($c: ID!) { subject(code: $c) { code name } }';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const manifest = (...bodies: [string, string][]) =>
  JSON.stringify({
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: bodies.map(([name, body]) => ({ id: sha(body), name, type: 'query', body })),
  });

describe('registered operations', () => {
  let dir: string;
  let system: RunningSystem;
  let bank: Record<string, string>;
  const code = showcaseSubject().code;
  const checks = async () => (await system.databases.enforcement.query<{ n: number }>('SELECT count(*)::int AS n FROM credit_checks'))[0]!.n;
  const post = (body: unknown, headers: Record<string, string>) =>
    fetch(system.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'operations-'));
    await writeFile(join(dir, 'bank-icbc.json'), manifest(['BankCheck', CHECK]));
    await writeFile(join(dir, 'portal-gov.json'), manifest(['PortalFile', PORTAL_ONLY]));
    system = await startTestSystem(backends[0]!, { env: { OPERATIONS_DIR: dir, REGISTERED_OPERATIONS_ONLY: 'bank,portal' } });
    bank = await as({ caller: 'bank', clientId: 'bank-icbc', scopes: ['check:run', 'credit:read', 'list:BLACK', 'list:RED'] });
  }, 120_000);
  afterAll(async () => {
    await system?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('a bank is served its registered operation by id (Apollo persisted query, or documentId) and by its exact text', async () => {
    for (const body of [
      { extensions: { persistedQuery: { version: 1, sha256Hash: sha(CHECK) } }, variables: { c: code } },
      { documentId: `sha256:${sha(CHECK)}`, variables: { c: code } },
      { documentId: sha(CHECK), variables: { c: code } },
      { query: CHECK, variables: { c: code } },
    ]) {
      const res = await post(body, bank);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { data: { creditCheck: { verdict: string } } }).data.creditCheck.verdict).toMatch(/^[A-Z_]+$/);
    }
  });

  test('any other document from a bank is refused before it runs: nothing is checked, nothing recorded (E4)', async () => {
    const before = await checks();
    const other = await graphql(
      system.gatewayUrl,
      'query($c: ID!) { creditCheck(code: $c, scenario: FINANCING) { verdict measures { code } } }',
      { c: code },
      bank,
    );
    expect(other.status).toBe(403);
    expect(other.errors![0]!.extensions!.code).toBe('OPERATION_NOT_REGISTERED');
    // the registered text with one character changed is another document
    expect(
      (
        await graphql(
          system.gatewayUrl,
          `
            ${CHECK}
          `,
          { c: code },
          bank,
        )
      ).status,
    ).toBe(403);
    // by GET too
    const get = await fetch(`${system.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`, { headers: { ...bank, 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(403);
    // nor as a batch
    expect((await post([{ query: '{ __typename }' }], bank)).status).toBe(403);
    expect(await checks()).toBe(before);
  });

  test("an unknown id, another client's operation, or an id with a different text: refused, nothing run", async () => {
    const before = await checks();
    const unknown = await post({ documentId: sha('query { __typename }') }, bank);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    // the portal's operation is registered, but not for this bank
    expect((await post({ documentId: sha(PORTAL_ONLY), variables: { c: code } }, bank)).status).toBe(404);
    const mismatch = await post(
      {
        documentId: sha(CHECK),
        query: 'query BankCheck($c: ID!) { creditCheck(code: $c, scenario: FINANCING) { verdict measures { code } } }',
        variables: { c: code },
      },
      bank,
    );
    expect(mismatch.status).toBe(400);
    expect((await post({ documentId: 'not-a-hash' }, bank)).status).toBe(400);
    expect(await checks()).toBe(before);
  });

  test("Apollo's own persisted-query cache is no way around it: a hash and text sent together register nothing", async () => {
    const free = 'query Sneaky($c: ID!) { creditCheck(code: $c, scenario: FINANCING) { verdict measures { code } } }';
    const department = await fullReader();
    // a department may send documents; if Apollo cached this one, the bank could then call it by hash
    await post({ query: free, extensions: { persistedQuery: { version: 1, sha256Hash: sha(free) } }, variables: { c: code } }, department);
    const res = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha(free) } }, variables: { c: code } }, bank);
    expect(res.status).toBe(404);
  });

  test('a department, not required to, may send documents of its own', async () => {
    const res = await graphql(system.gatewayUrl, 'query Mine($c: ID!) { subject(code: $c) { code } }', { c: code }, await fullReader());
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ subject: { code } });
  });
});
