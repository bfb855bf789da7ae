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
    const gateway = await startGateway(
      backends[0]!,
      { GATEWAY_PROOF_SECRET: SECRET, TRUSTED_PROXIES: '127.0.0.1' },
      { ...system.subgraphUrls, listings: stub.url },
    );
    try {
      const answers = await Promise.all(Array.from({ length: 3 }, () => graphql<any>(gateway.url, QUERY)));
      for (const answer of answers) expect(answer).toMatchObject({ data: { subject: { name: '替身公司' } } });
      expect(stub.received).toHaveLength(1);
      // two anonymous clients (two addresses) asking the same at once: two fetches, so neither learns from the speed
      // of its answer that the other is reading this subject
      const from = (address: string) => graphql<any>(gateway.url, QUERY, {}, { 'x-forwarded-for': address });
      await Promise.all([from('203.0.113.1'), from('203.0.113.2')]);
      expect(stub.received).toHaveLength(3);
      // two callers who differ (two departments' tokens) are never answered from one fetch
      const [a, b] = await Promise.all([
        as({ caller: 'department', department: 'NDRC', scopes: ['credit:read'] }),
        as({ caller: 'department', department: 'MOF', scopes: ['credit:read'] }),
      ]);
      await Promise.all([graphql(gateway.url, QUERY, {}, a), graphql(gateway.url, QUERY, {}, b)]);
      expect(stub.received).toHaveLength(5);
    } finally {
      await gateway.stop();
      await stub.close();
    }
  });

  test('what is shared: reads by the very same caller from the same client; never mutations, never credit checks (each is a record, E4)', () => {
    const read = 'query S__listings__0($c:ID!){subject(code:$c){name}}';
    const here = { caller: ANONYMOUS, clientAddress: '203.0.113.1' };
    expect(sharedFetchKey(here, read, { c: code })).toBe(sharedFetchKey({ ...here }, read, { c: code }));
    expect(sharedFetchKey(here, read, { c: code })).not.toBe(sharedFetchKey(here, read, { c: 'other' }));
    // a fetch that rides on another's ends sooner: two anonymous addresses never share one, or the speed of an
    // answer would tell one what the other is reading
    expect(sharedFetchKey(here, read, { c: code })).not.toBe(sharedFetchKey({ ...here, clientAddress: '203.0.113.2' }, read, { c: code }));
    const bank = {
      caller: { ...ANONYMOUS, kind: 'bank' as const, tokenId: 't1', clientId: 'bank-a', scopes: new Set(['check:run']) },
      clientAddress: '203.0.113.1',
    };
    const asBank = (changes: Partial<typeof bank.caller>) => ({ ...bank, caller: { ...bank.caller, ...changes } });
    expect(sharedFetchKey(bank, read, {})).toBe(sharedFetchKey({ ...bank, clientAddress: '203.0.113.2' }, read, {})); // a token holder is its client wherever it calls from
    expect(sharedFetchKey(bank, read, {})).not.toBe(sharedFetchKey(asBank({ scopes: new Set(['check:run', 'list:BLACK']) }), read, {}));
    expect(sharedFetchKey(bank, read, {})).not.toBe(sharedFetchKey(asBank({ tokenId: 't2' }), read, {}));
    expect(sharedFetchKey(bank, read, {})).not.toBe(sharedFetchKey(asBank({ clientId: 'bank-b' }), read, {}));
    expect(sharedFetchKey(bank, 'mutation M{acknowledgeTask(id:"x"){id}}', {})).toBeNull();
    expect(sharedFetchKey(bank, 'query C__enforcement__0($c:ID!){creditCheck(code:$c,scenario:FINANCING){verdict}}', {})).toBeNull();
    expect(sharedFetchKey(bank, '{x: creditChecks(codes:[], scenario:FINANCING){verdict}}', {})).toBeNull();
    expect(sharedFetchKey(undefined, read, {})).toBeNull();
  });
});
