/**
 * Subgraphs trust only the gateway: a proof captured on the wire between the gateway and a subgraph opens nothing
 * else — not another query, not the same query again, not another subgraph, not after its few seconds.
 */
import { randomBytes } from 'node:crypto';
import { ANONYMOUS } from '../../lib/contracts/caller.js';
import { PROOF_HEADER, PROOF_LIFETIME_MS, ProofError, proofKeys } from '../../lib/platform/auth/gatewayProof.js';
import { showcaseSubject } from '../../lib/demo/dataset.js';
import type { RunningSystem } from '../../scripts/system.js';
import { backends } from '../kit/backends.js';
import { startGateway, type TestGateway } from '../kit/gateway.js';
import { startRecordingProxy, type RecordingProxy } from '../kit/recordingProxy.js';
import { graphql, startTestSystem } from '../kit/system.js';

const SECRET = randomBytes(32).toString('base64url');
const showcase = showcaseSubject();
const [backend] = backends;

describe('the gateway proof, on the wire', () => {
  let system: RunningSystem;
  let proxy: RecordingProxy;
  let gateway: TestGateway;
  beforeAll(async () => {
    system = await startTestSystem(backend!, { env: { GATEWAY_PROOF_SECRET: SECRET } });
    // a gateway whose traffic to listings passes a wire someone is listening on
    proxy = await startRecordingProxy(system.subgraphUrls.listings);
    gateway = await startGateway(backend!, { GATEWAY_PROOF_SECRET: SECRET }, { ...system.subgraphUrls, listings: proxy.url });
  }, 120_000);
  afterAll(async () => {
    await gateway?.stop();
    await proxy?.close();
    await system?.stop();
  });

  /** An anonymous request through the gateway, and what crossed the wire to listings for it. */
  const capture = async () => {
    proxy.seen.length = 0;
    const res = await graphql<any>(gateway.url, 'query($c: ID!) { subject(code: $c) { name } }', { c: showcase.code });
    expect(res.data.subject.name).toBe(showcase.name);
    expect(proxy.seen).toHaveLength(1);
    return proxy.seen[0]!;
  };
  const replay = (url: string, proof: string, body: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [PROOF_HEADER]: proof }, body }).then(async (r) => ({
      status: r.status,
      text: await r.text(),
    }));

  test('replayed with another query (the legal representative in full), it is refused', async () => {
    const { headers } = await capture();
    const other = JSON.stringify({
      query: `{ _entities(representations: [{ __typename: "Subject", code: "${showcase.code}" }]) { ... on Subject { legalRepresentative { idNumber } } } }`,
      variables: {},
    });
    const res = await replay(system.subgraphUrls.listings, headers[PROOF_HEADER]!, other);
    expect(res.status).toBe(401);
    expect(res.text).toContain('another request');
    expect(res.text).not.toContain(showcase.legalRepresentative!.idNumber);
  });

  test('replayed as it was, it is refused: a proof is accepted once', async () => {
    const { headers, body } = await capture();
    const res = await replay(system.subgraphUrls.listings, headers[PROOF_HEADER]!, body);
    expect(res.status).toBe(401);
    expect(res.text).toContain('used before');
  });

  test('sent to another subgraph, it is refused', async () => {
    const { headers, body } = await capture();
    const res = await replay(system.subgraphUrls.enforcement, headers[PROOF_HEADER]!, body);
    expect(res.status).toBe(401);
    expect(res.text).toContain('another service');
  });

  test('a proof lives seconds; one issued in the future or for longer is refused; a forged one is refused', () => {
    let now = Date.parse('2026-11-27T10:00:00Z');
    const keys = proofKeys(SECRET, { now: () => now });
    const request = { audience: 'listings', query: '{ subject(code: "x") { name } }', variables: {} };
    const late = keys.sign(ANONYMOUS, request);
    now += PROOF_LIFETIME_MS + 1;
    expect(() => keys.verify(late, request)).toThrow(/expired/);
    const early = proofKeys(SECRET, { now: () => now + 60_000 }).sign(ANONYMOUS, request);
    expect(() => keys.verify(early, request)).toThrow(/lifetime/);
    const forged = proofKeys('another secret of at least thirty-two characters').sign(ANONYMOUS, request);
    expect(() => keys.verify(forged, request)).toThrow(ProofError);
    const fresh = keys.sign(ANONYMOUS, request);
    expect(keys.verify(fresh, request).kind).toBe('anonymous');
  });

  test('rotating the secret: during the overlap the subgraphs accept proofs signed with either; after it, only the new one', () => {
    const OLD = SECRET;
    const NEW = 'the new proof secret, at least thirty-two characters long';
    const request = { audience: 'repair', query: '{ creditReports { id } }', variables: {} };
    const oldGateway = proofKeys(OLD);
    const newGateway = proofKeys(NEW);
    // 1. the subgraphs move first: new secret, the old one as previous
    const overlapping = proofKeys(NEW, { previous: OLD });
    expect(overlapping.verify(oldGateway.sign(ANONYMOUS, request), request).kind).toBe('anonymous');
    // 2. then the gateway signs with the new one
    expect(overlapping.verify(newGateway.sign(ANONYMOUS, request), request).kind).toBe('anonymous');
    // 3. the previous secret is dropped: an old proof is refused, and a third secret never was accepted
    const after = proofKeys(NEW);
    expect(() => after.verify(oldGateway.sign(ANONYMOUS, request), request)).toThrow(/signature/);
    expect(() => overlapping.verify(proofKeys('a third secret of at least thirty-two characters').sign(ANONYMOUS, request), request)).toThrow(/signature/);
    // and the previous secret only verifies: nothing is signed with it
    expect(() => after.verify(overlapping.sign(ANONYMOUS, request), request)).not.toThrow();
    expect(() => proofKeys(NEW, { previous: 'short' })).toThrow(/at least 32/);
  });
});
