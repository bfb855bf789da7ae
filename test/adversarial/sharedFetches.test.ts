import { randomBytes } from 'node:crypto';
import { ANONYMOUS } from '../../lib/contracts/caller.js';
import { showcaseSubject } from '../../lib/demo/dataset.js';
import { sharedFetchKey } from '../../gateway/pipeline/shareFetches.js';
import type { RunningSystem } from '../../scripts/system.js';
import { backends } from '../kit/backends.js';
import { startGateway } from '../kit/gateway.js';
import { startStubSubgraph } from '../kit/stubSubgraph.js';
import { graphql, startTestSystem } from '../kit/system.js';
import { as } from '../kit/tokens.js';

/**
 * Identical subgraph fetches in flight at once are sent once — only for the same caller as the subgraph sees it, only
 * reads, never a read that records itself (E4) — and every request still gets its own answer, cut to its caller.
 */
const SECRET = randomBytes(32).toString('base64url');
const code = showcaseSubject().code;
const QUERY = `{ subject(code: "${code}") { name } }`;
const FOUND = { data: { subject: { name: '替身公司', _cg_code: code, _cg_kind: 'ORGANISATION' } } };

describe('sharing identical subgraph fetches', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startTestSystem(backends[0]!, { seed: false, env: { GATEWAY_PROOF_SECRET: SECRET } });
  }, 120_000);
  afterAll(() => system?.stop());

  test('concurrent identical reads by one caller reach the subgraph once; each request gets a whole answer of its own', async () => {
    // the stub answers slowly, so the three (within the anonymous in-flight limit) are in flight together
    const stub = await startStubSubgraph(() => ({ json: FOUND, delayMs: 1_500 }));
    const gateway = await startGateway(backends[0]!, { GATEWAY_PROOF_SECRET: SECRET }, { ...system.subgraphUrls, listings: stub.url });
    try {
      const answers = await Promise.all(Array.from({ length: 3 }, () => graphql<any>(gateway.url, QUERY)));
      for (const answer of answers) expect(answer).toMatchObject({ data: { subject: { name: '替身公司' } } });
      expect(stub.received).toHaveLength(1);
      // two callers who differ (two departments' tokens) are never answered from one fetch
      const [a, b] = await Promise.all([
        as({ caller: 'department', department: 'NDRC', scopes: ['credit:read'] }),
        as({ caller: 'department', department: 'MOF', scopes: ['credit:read'] }),
      ]);
      await Promise.all([graphql(gateway.url, QUERY, {}, a), graphql(gateway.url, QUERY, {}, b)]);
      expect(stub.received).toHaveLength(3);
    } finally {
      await gateway.stop();
      await stub.close();
    }
  });

  test('what is shared: reads by the very same caller; never mutations, never credit checks (each is a record, E4)', () => {
    const read = 'query S__listings__0($c:ID!){subject(code:$c){name}}';
    expect(sharedFetchKey(ANONYMOUS, read, { c: code })).toBe(sharedFetchKey(ANONYMOUS, read, { c: code }));
    expect(sharedFetchKey(ANONYMOUS, read, { c: code })).not.toBe(sharedFetchKey(ANONYMOUS, read, { c: 'other' }));
    const bank = { ...ANONYMOUS, kind: 'bank' as const, tokenId: 't1', clientId: 'bank-a', scopes: new Set(['check:run']) };
    expect(sharedFetchKey(bank, read, {})).not.toBe(sharedFetchKey({ ...bank, scopes: new Set(['check:run', 'list:BLACK']) }, read, {}));
    expect(sharedFetchKey(bank, read, {})).not.toBe(sharedFetchKey({ ...bank, tokenId: 't2' }, read, {}));
    expect(sharedFetchKey(bank, 'mutation M{acknowledgeTask(id:"x"){id}}', {})).toBeNull();
    expect(sharedFetchKey(bank, 'query C__enforcement__0($c:ID!){creditCheck(code:$c,scenario:FINANCING){verdict}}', {})).toBeNull();
    expect(sharedFetchKey(bank, '{x: creditChecks(codes:[], scenario:FINANCING){verdict}}', {})).toBeNull();
    expect(sharedFetchKey(undefined, read, {})).toBeNull();
  });
});
