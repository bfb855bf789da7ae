/**
 * Errors are clean and honest: what the caller got wrong answers 4xx with a stable code and changes nothing; what we
 * got wrong says which service, never its address, status line, body or stack; text that would store control or
 * bidirectional characters is refused; tokens that claim too much are refused; a query log that cannot be written in
 * time withholds the data it would have recorded, at once.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { showcaseSubject } from '../../lib/demo/dataset.js';
import type { RunningSystem } from '../../scripts/system.js';
import { backends } from '../kit/backends.js';
import { freshCreditCode } from '../kit/codes.js';
import { startGateway } from '../kit/gateway.js';
import { graphql, startTestSystem } from '../kit/system.js';
import { as, fullReader } from '../kit/tokens.js';
import { openPostgres } from '../../lib/platform/db/postgres.js';

const showcase = showcaseSubject();
const SECRET = randomBytes(32).toString('base64url');
/** Nothing internal: no address, no HTTP status line of a subgraph, no body, no stack. */
const INTERNAL = /127\.0\.0\.1|localhost|https?:\/\/|"response"|stacktrace|\bat \w+ \(|statusText/;

describe.each(backends)('clean and honest errors ($name)', (backend) => {
  let system: RunningSystem;
  let writer: Record<string, string>;
  beforeAll(async () => {
    system = await startTestSystem(backend, { env: { GATEWAY_PROOF_SECRET: SECRET, QUERY_LOG_TIMEOUT_MS: '500' } });
    writer = await as({ caller: 'department', department: 'NDRC', scopes: ['credit:read', 'listing:write'] });
  }, 120_000);
  afterAll(() => system?.stop());
  const ask = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    graphql<any>(system.gatewayUrl, query, variables, headers);

  describe("include-skip with defaulted variables (the public federation gateway audit's cases), through the policy", () => {
    // a field of another subgraph (tasks: enforcement) and one of the policy's conditions (name: masked for persons)
    const cases: [string, boolean][] = [
      ['query ($bool: Boolean = false) { subject(code: "C") { region tasks @include(if: $bool) { status } } }', false],
      ['query ($bool: Boolean = true) { subject(code: "C") { region tasks @skip(if: $bool) { status } } }', false],
      ['query ($bool: Boolean = true) { subject(code: "C") { region tasks @include(if: $bool) { status } } }', true],
      ['query ($bool: Boolean = false) { subject(code: "C") { region tasks @skip(if: $bool) { status } } }', true],
    ];
    test.each(cases)('%s', async (query, included) => {
      const res = await ask(query.replace('"C"', JSON.stringify(showcase.code)), {}, await fullReader());
      expect(res.errors).toBeUndefined();
      expect(res.data.subject.region).toBe(showcase.region);
      expect('tasks' in res.data.subject).toBe(included);
      if (included) expect(res.data.subject.tasks.length).toBeGreaterThan(0);
    });
  });

  test('an impossible or malformed date is BAD_USER_INPUT (HTTP 400), naming nothing internal', async () => {
    for (const date of ['2026-02-30', '2026-13-01', 'yesterday', '2026-1-1']) {
      const res = await ask(
        'query($d: Date!) { subject(code: $d) { entries(asOf: $d) { kind } } }'.replace('subject(code: $d)', `subject(code: "${showcase.code}")`),
        { d: date },
      );
      expect({ date, status: res.status, code: res.errors?.[0]?.extensions?.code }).toEqual({ date, status: 400, code: 'BAD_USER_INPUT' });
      expect(JSON.stringify(res)).not.toMatch(INTERNAL);
    }
  });

  test('a subgraph that is down is named, never addressed; the rest of the answer stays', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const gateway = await startGateway(backend, { GATEWAY_PROOF_SECRET: SECRET }, { ...system.subgraphUrls, enforcement: `http://127.0.0.1:${port}/graphql` });
    try {
      const res = await graphql<any>(gateway.url, 'query($c: ID!) { subject(code: $c) { name tasks { status } } }', { c: showcase.code }, await fullReader());
      expect(res.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', service: 'enforcement' }) })]);
      expect(res.errors![0]!.message).toContain('enforcement');
      expect(JSON.stringify(res)).not.toMatch(INTERNAL);
      const checks = await graphql<any>(
        gateway.url,
        'query($c: ID!) { creditCheck(code: $c, scenario: BIDDING) { verdict } }',
        { c: showcase.code },
        await as({ caller: 'department', department: 'MOF', scopes: ['check:run'] }),
      );
      expect(checks.status).toBe(503);
      expect(JSON.stringify(checks)).not.toMatch(INTERNAL);
    } finally {
      await gateway.stop();
    }
  });

  test('errors the caller caused answer 4xx: a reserved alias, a refused operation, a bad code, a bad variable', async () => {
    expect((await ask(`{ subject(code: "${showcase.code}") { _cg_x: name } }`)).status).toBe(400);
    expect((await ask('{ creditCheck(code: "x", scenario: BIDDING) { verdict } }')).status).toBe(403);
    expect((await ask('{ subject(code: "91350100M000100Y4A") { name } }')).status).toBe(400);
    expect((await ask('query($c: ID!) { subject(code: $c) { name } }', { c: 42.5 })).status).toBe(400);
    expect((await ask('query($c: ID!) { subject(code: $c) { name } }', {})).status).toBe(400);
  });

  test('text with NUL, other control characters or bidirectional overrides is refused before anything is written', async () => {
    const code = freshCreditCode();
    for (const name of ['甲\u0000公司', 'bell\u0007', '\u202Eevil', 'iso\u2066late', 'lone \uD800 surrogate', 'c1\u0085']) {
      const before = system.databases.listings.statementCount;
      const res = await ask('mutation($i: RegisterSubjectInput!) { registerSubject(input: $i) { code } }', { i: { code, kind: 'ORGANISATION', name } }, writer);
      expect({ name: JSON.stringify(name), status: res.status, code: res.errors?.[0]?.extensions?.code }).toEqual({
        name: JSON.stringify(name),
        status: 400,
        code: 'BAD_USER_INPUT',
      });
      expect(system.databases.listings.statementCount).toBe(before);
    }
    // in a literal too, and in a search
    expect((await ask('{ searchSubjects(text: "a\\u0000b") { name } }')).errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    // ordinary multi-line text with tabs stays acceptable
    const ok = await ask(
      'mutation($i: RegisterSubjectInput!) { registerSubject(input: $i) { name } }',
      { i: { code, kind: 'ORGANISATION', name: '多行\t名称' } },
      writer,
    );
    expect(ok.errors).toBeUndefined();
  });

  test('a region that does not contain the division in the credit code is BAD_USER_INPUT', async () => {
    const code = freshCreditCode('320583');
    const register = (region: string) =>
      ask(
        'mutation($i: RegisterSubjectInput!) { registerSubject(input: $i) { region } }',
        { i: { code, kind: 'ORGANISATION', name: '区划核对有限公司', region } },
        writer,
      );
    const wrong = await register('110105');
    expect(wrong).toMatchObject({ status: 400, errors: [{ extensions: { code: 'BAD_USER_INPUT', argument: 'region' } }] });
    expect((await register('320500')).data.registerSubject.region).toBe('320500'); // the city contains the county
  });

  test('tokens issued in the future, or living longer than the configured maximum (24 h), are UNAUTHENTICATED', async () => {
    const future = await as({ caller: 'department', department: 'NDRC', scopes: ['credit:read'], now: new Date(Date.now() + 3_600_000) });
    const res = await ask(`{ subject(code: "${showcase.code}") { name } }`, {}, future);
    expect(res).toMatchObject({ status: 401, errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(res.errors![0]!.message).toContain('future');
    // minted by hand: the token command itself refuses lifetimes over 24 h
    const { SignJWT, importJWK } = await import('jose');
    const { DEV_PRIVATE_JWK, DEV_ISSUER, DEV_AUDIENCE } = await import('../../gateway/auth/devKey.js');
    const iat = Math.floor(Date.now() / 1000);
    const long = await new SignJWT({ client_id: 'c', scope: 'credit:read', caller: 'department', department: 'NDRC' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: DEV_PRIVATE_JWK.kid! })
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setSubject('c')
      .setIssuedAt(iat)
      .setExpirationTime(iat + 7 * 86_400)
      .setJti('long-lived')
      .sign(await importJWK(DEV_PRIVATE_JWK, 'ES256'));
    const refused = await ask(`{ subject(code: "${showcase.code}") { name } }`, {}, { authorization: `Bearer ${long}` });
    expect(refused).toMatchObject({ status: 401, errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(refused.errors![0]!.message).toContain('too long');
  });

  test('a query log that cannot be written in time withholds the personal data at once, and says what it withheld', async () => {
    const release = await lockQueryLog(system, backend.url);
    try {
      const began = Date.now();
      const res = await ask('query($c: ID!) { subject(code: $c) { legalRepresentative { name idNumber } } }', { c: showcase.code }, await fullReader());
      expect(Date.now() - began).toBeLessThan(10_000);
      expect(res.errors).toEqual([expect.objectContaining({ extensions: { code: 'QUERY_LOG_UNAVAILABLE' } })]);
      expect(res.data.subject.legalRepresentative).toEqual({ name: '赵*', idNumber: expect.stringMatching(/^320583\*{8}123X$/) });
      const withdrawn = (res.extensions as any).policy.masked.map((m: { path: unknown[]; as: string }) => `${m.path.join('.')}:${m.as}`).sort();
      expect(withdrawn).toEqual(['subject.legalRepresentative.idNumber:masked', 'subject.legalRepresentative.name:masked']);
    } finally {
      await release();
    }
    const after = await ask('query($c: ID!) { subject(code: $c) { legalRepresentative { idNumber } } }', { c: showcase.code }, await fullReader());
    expect(after.data.subject.legalRepresentative.idNumber).toBe(showcase.legalRepresentative!.idNumber);
  });
});

/**
 * Holds the query log's table locked, as a long-running administrative statement would: on PostgreSQL from another
 * connection; in PGlite (one connection) by a transaction that does not end until released.
 */
async function lockQueryLog(system: RunningSystem, url: string | undefined): Promise<() => Promise<void>> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const holding = new Promise<void>((resolve) => (locked = resolve));
  const schema = url ? (await system.databases.gateway.query<{ s: string }>('SELECT current_schema() AS s'))[0]!.s : null;
  const other = url && schema ? await openPostgres(url, schema, { poolSize: 1 }) : null;
  const done = (other ?? system.databases.gateway).transaction(async (tx) => {
    if (other) await tx.query('LOCK TABLE query_log IN ACCESS EXCLUSIVE MODE');
    locked();
    await released;
  });
  await holding;
  return async () => {
    release();
    await done;
    await other?.close();
  };
}
