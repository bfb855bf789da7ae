/**
 * A subgraph that is slow, down or flapping cannot hold the gateway's callers: every fetch has a time limit, a subgraph
 * that keeps failing is cut off for a while (requests fail at once instead of piling up), a read whose kept-alive
 * connection was reset is sent once more and a write never, and one caller kind can only have so many requests in
 * flight. Each test puts a stand-in subgraph behind a gateway of its own.
 */
import { randomBytes } from 'node:crypto';
import { showcaseSubject } from '../../lib/demo/dataset.js';
import type { RunningSystem } from '../../scripts/system.js';
import { backends } from '../kit/backends.js';
import { startGateway } from '../kit/gateway.js';
import { startStubSubgraph } from '../kit/stubSubgraph.js';
import { graphql, startTestSystem } from '../kit/system.js';
import { as } from '../kit/tokens.js';

const SECRET = randomBytes(32).toString('base64url');
const code = showcaseSubject().code;
const QUERY = `{ subject(code: "${code}") { name } }`;
/** What listings would answer, the policy's own fields included. */
const FOUND = { data: { subject: { name: '替身公司', _cg_code: code, _cg_kind: 'ORGANISATION' } } };

describe('the gateway in front of misbehaving subgraphs', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startTestSystem(backends[0]!, { seed: false, env: { GATEWAY_PROOF_SECRET: SECRET } });
  }, 120_000);
  afterAll(() => system?.stop());

  const withListings = async (stubUrl: string, env: Record<string, string>, run: (url: string) => Promise<void>) => {
    const gateway = await startGateway(backends[0]!, { GATEWAY_PROOF_SECRET: SECRET, ...env }, { ...system.subgraphUrls, listings: stubUrl });
    try {
      await run(gateway.url);
    } finally {
      await gateway.stop();
    }
  };

  test('a subgraph that does not answer is timed out: SERVICE_UNAVAILABLE naming it, within the configured time', async () => {
    const stub = await startStubSubgraph(() => 'hang');
    try {
      await withListings(stub.url, { LISTINGS_TIMEOUT_MS: '300' }, async (url) => {
        const res = await graphql<any>(url, QUERY);
        expect(res).toMatchObject({ status: 503, errors: [{ extensions: { code: 'SERVICE_UNAVAILABLE', service: 'listings' } }] });
        expect(res.errors![0]!.message).toContain('timed out');
      });
    } finally {
      await stub.close();
    }
  });

  test('a subgraph that keeps failing is cut off: after five failures the next requests fail without reaching it', async () => {
    const stub = await startStubSubgraph(() => ({ json: { errors: [{ message: 'down' }] }, status: 503 }));
    try {
      await withListings(stub.url, {}, async (url) => {
        for (let i = 0; i < 5; i++) expect((await graphql(url, QUERY)).status).toBe(503);
        const reached = stub.received.length;
        const res = await graphql<any>(url, QUERY);
        expect(res.errors![0]!.message).toContain('cut off');
        expect(stub.received.length).toBe(reached);
      });
    } finally {
      await stub.close();
    }
  });

  test('a read whose connection is reset is sent once more; a write is not', async () => {
    const stub = await startStubSubgraph((_, n) => (n === 1 ? 'reset' : { json: FOUND }));
    try {
      await withListings(stub.url, {}, async (url) => {
        const read = await graphql<any>(url, QUERY);
        expect(read.data.subject.name).toBe('替身公司');
        expect(stub.received).toHaveLength(2);
      });
    } finally {
      await stub.close();
    }
    const writes = await startStubSubgraph(() => 'reset');
    try {
      await withListings(writes.url, {}, async (url) => {
        const headers = await as({ caller: 'department', department: 'NDRC', scopes: ['listing:write'] });
        const write = await graphql<any>(url, `mutation { registerSubject(input: { code: "${code}", kind: ORGANISATION, name: "x" }) { code } }`, {}, headers);
        expect(write.errors![0]!.extensions!.code).toBe('SERVICE_UNAVAILABLE');
        expect(writes.received.filter((r) => r.query.startsWith('mutation'))).toHaveLength(1);
      });
    } finally {
      await writes.close();
    }
  });

  test("one caller kind's requests in flight are bounded: beyond, OVERLOADED (HTTP 503, Retry-After); others go on", async () => {
    const stub = await startStubSubgraph(() => ({ json: FOUND, delayMs: 1_000 }));
    try {
      await withListings(stub.url, { CALLER_LIMITS: JSON.stringify({ anonymous: { inFlight: 2 } }) }, async (url) => {
        const slow = [graphql(url, QUERY), graphql(url, QUERY)];
        await new Promise((resolve) => setTimeout(resolve, 300));
        const third = await graphql<any>(url, QUERY);
        expect(third).toMatchObject({ status: 503, errors: [{ extensions: { code: 'OVERLOADED', retryAfterSeconds: 1 } }] });
        const department = await graphql<any>(url, '{ __typename }', {}, await as({ caller: 'department', department: 'NDRC', scopes: [] }));
        expect(department.status).toBe(200);
        expect((await Promise.all(slow)).map((r) => r.status)).toEqual([200, 200]);
      });
    } finally {
      await stub.close();
    }
  });
});
