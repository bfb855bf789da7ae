/**
 * One caller cannot hurt another: every abusive shape of operation is refused before anything is planned or fetched,
 * with its own code and a 4xx status, and the services do no work for it (their statement counts do not move).
 * The limits are the public's defaults (lib/platform/limits.ts); departments get more.
 */
import { randomBytes } from 'node:crypto';
import { ANONYMOUS } from '../../lib/contracts/caller.js';
import { PROOF_HEADER, proofKeys } from '../../lib/platform/auth/gatewayProof.js';
import { showcaseSubject } from '../../lib/demo/dataset.js';
import { DEFAULT_LIMITS } from '../../lib/platform/limits.js';
import type { RunningSystem } from '../../scripts/system.js';
import { backends } from '../kit/backends.js';
import { graphql, startTestSystem } from '../kit/system.js';
import { as } from '../kit/tokens.js';

const code = showcaseSubject().code;
const SECRET = randomBytes(32).toString('base64url');
const PUBLIC = DEFAULT_LIMITS.anonymous;
/** Subject.entries → ListEntry.subject → Subject.entries …: each level multiplies the work by the entries. */
const cycle = (depth: number) => `{ subject(code: "${code}") { ${'entries { subject { '.repeat(depth)}name${' } }'.repeat(depth)} } }`;

describe('operation limits, before anything runs', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    // the public's own limits (the test kit raises only their rates)
    system = await startTestSystem(backends[0]!, { env: { TRUSTED_PROXIES: '127.0.0.1', GATEWAY_PROOF_SECRET: SECRET } });
  }, 120_000);
  afterAll(() => system?.stop());

  let client = 0;
  const anonymous = () => ({ 'x-forwarded-for': `203.0.113.${++client}` });
  const statements = () => Object.values(system.databases).reduce((n, db) => n + db.statementCount, 0);
  /** Sends, and checks that it was refused with `code` and `status`, and that no service did anything for it. */
  const refused = async (
    body: string | { query: string; variables?: Record<string, unknown> },
    code: string,
    status = 400,
    headers: Record<string, string> = anonymous(),
  ) => {
    const before = statements();
    const res = await fetch(system.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const answer = (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    expect({ status: res.status, code: answer.errors?.[0]?.extensions?.code, data: answer.data }).toEqual({ status, code, data: undefined });
    expect(statements()).toBe(before);
    return answer;
  };

  test(`depth: the entries ↔ subject cycle nested 100 deep is MAX_DEPTH_LIMIT (the public: ${PUBLIC.depth})`, async () => {
    await refused({ query: cycle(100) }, 'MAX_DEPTH_LIMIT');
    await refused({ query: cycle(3) }, 'MAX_DEPTH_LIMIT');
    // through fragments too
    await refused(
      {
        query: `{ subject(code: "${code}") { ...A } } fragment A on Subject { entries { subject { ...B } } } fragment B on Subject { entries { subject { entries { kind } } } }`,
      },
      'MAX_DEPTH_LIMIT',
    );
  });

  test('aliases: 5,000 aliases of subject(...) are MAX_ALIASES_LIMIT, answered before any subgraph is asked', async () => {
    const wide = `{ ${Array.from({ length: 5000 }, (_, i) => `a${i}: subject(code: "${code}") { name }`).join(' ')} }`;
    // too large a body for the public first; a department's body limit lets it through to the alias count
    await refused({ query: wide }, 'PAYLOAD_TOO_LARGE', 413);
    const department = await as({ caller: 'department', department: 'NDRC', scopes: ['credit:read'] });
    await refused(
      { query: `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: subject(code: "${code}") { name }`).join(' ')} }` },
      'MAX_ALIASES_LIMIT',
      400,
      department,
    );
    await refused({ query: `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: subject(code: "${code}") { name }`).join(' ')} }` }, 'MAX_ALIASES_LIMIT');
  });

  test('root fields, directives, list arguments and tokens each have their limit', async () => {
    await refused(
      { query: `{ ${Array.from({ length: PUBLIC.rootFields + 1 }, (_, i) => `f${i}: __typename`).join(' ')} subject(code: "${code}") { name } }` },
      'MAX_ROOT_FIELDS_LIMIT',
    );
    await refused({ query: `{ subject(code: "${code}") { ${'name @include(if: true) '.repeat(PUBLIC.directives + 1)} } }` }, 'MAX_DIRECTIVES_LIMIT');
    await refused(
      { query: 'query($c: [ID!]!) { subjects(codes: $c) { name } }', variables: { c: Array(PUBLIC.listSize + 1).fill(code) } },
      'MAX_LIST_SIZE_LIMIT',
    );
    await refused(
      {
        query: `{ subjects(codes: [${Array(PUBLIC.listSize + 1)
          .fill(`"${code}"`)
          .join(',')}]) { name } }`,
      },
      'MAX_LIST_SIZE_LIMIT',
    );
    await refused({ query: `{ subject(code: "${code}") { ${'name '.repeat(PUBLIC.tokens)} } }` }, 'MAX_TOKENS_LIMIT');
  });

  test('cost: an operation estimated over the budget is COST_ESTIMATED_TOO_EXPENSIVE, with the estimate', async () => {
    const answer = await refused(
      { query: `{ subjects(codes: [${Array(20).fill(`"${code}"`).join(',')}]) { entries { subject { entries { kind } } } } }` },
      'COST_ESTIMATED_TOO_EXPENSIVE',
    );
    expect(answer.errors![0]!.extensions).toMatchObject({ cost: { estimated: expect.any(Number), budget: PUBLIC.cost } });
  });

  test("a body over the caller's limit is 413 with a GraphQL error, not a reset connection; 3 MB too", async () => {
    await refused(JSON.stringify({ query: `{ subject(code: "${code}") { name } }`, padding: 'x'.repeat(3_000_000) }), 'PAYLOAD_TOO_LARGE', 413);
  });

  test('every answer that ran carries its estimated and actual cost, the budget and the mode', async () => {
    const res = await graphql<any>(system.gatewayUrl, `{ subject(code: "${code}") { name entries { kind } } }`, {}, anonymous());
    expect(res.extensions?.cost).toEqual({ estimated: 21, actual: 1 + res.data.subject.entries.length, budget: PUBLIC.cost, mode: 'enforce' });
  });

  test('a subgraph refuses, as a second line, what no gateway would send, even with a valid proof', async () => {
    const query = cycle(30); // 61 levels: past any gateway's depth, and the subgraphs' own bound
    const proof = proofKeys(SECRET).sign(ANONYMOUS, { audience: 'listings', query, variables: {} });
    const res = await fetch(system.subgraphUrls.listings, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [PROOF_HEADER]: proof },
      body: JSON.stringify({ query, variables: {} }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/depth limit of 40 exceeded/);
  });

  test('every caller kind has a rate: per client address without a token, per client with one', async () => {
    const limited = await startTestSystem(backends[0]!, {
      seed: false,
      env: { TRUSTED_PROXIES: '127.0.0.1', CALLER_LIMITS: JSON.stringify({ anonymous: { rate: 3 }, portal: { rate: 3 } }) },
    });
    try {
      const send = (headers: Record<string, string>) => graphql(limited.gatewayUrl, '{ __typename }', {}, headers);
      const one = { 'x-forwarded-for': '198.51.100.7' };
      for (let i = 0; i < 3; i++) expect((await send(one)).status).toBe(200);
      const over = await send(one);
      expect(over).toMatchObject({ status: 429, errors: [{ extensions: { code: 'RATE_LIMITED', limit: 3 } }] });
      expect((await send({ 'x-forwarded-for': '198.51.100.8' })).status).toBe(200); // another address
      const portal = await as({ caller: 'portal', clientId: 'portal-under-test' });
      for (let i = 0; i < 3; i++) expect((await send({ ...portal, 'x-forwarded-for': `198.51.100.${20 + i}` })).status).toBe(200);
      expect((await send({ ...portal, 'x-forwarded-for': '198.51.100.99' })).status).toBe(429); // its client, from anywhere
    } finally {
      await limited.stop();
    }
  });
});
