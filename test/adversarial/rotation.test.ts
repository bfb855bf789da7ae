/**
 * Rotating both keys with the services running. The subgraphs move first to the new proof secret, accepting the
 * previous one during the overlap; gateways before, during and after the rotation run in front of them. The mask hash
 * key moves at the same time (A3): a bank's hashes change with the key, and while the previous key is configured each
 * answer links the new hashes to those the bank was shown before, so the records it holds stay linkable.
 */
import { randomBytes } from 'node:crypto';
import { keyedHash } from '../../gateway/policy/masks.js';
import { demoDataset, showcaseSubject } from '../../lib/demo/dataset.js';
import type { RunningSystem } from '../../scripts/system.js';
import { backends } from '../kit/backends.js';
import { startGateway, type TestGateway } from '../kit/gateway.js';
import { graphql, startTestSystem } from '../kit/system.js';
import { as } from '../kit/tokens.js';

const PROOF_OLD = randomBytes(32).toString('base64url');
const PROOF_NEW = randomBytes(32).toString('base64url');
const MASK_A = randomBytes(32).toString('base64url');
const MASK_B = randomBytes(32).toString('base64url');
const org = showcaseSubject();
const person = demoDataset().subjects.find((s) => s.kind === 'PERSON')!;
const [backend] = backends;

/** A bank's view of two values it sees hashed: a legal representative's ID number, and a person's code. */
const QUERY = 'query($o: ID!, $p: ID!) { org: subject(code: $o) { legalRepresentative { idNumber } } person: subject(code: $p) { code } }';
const hashesOf = (data: any): string[] => [data.org.legalRepresentative.idNumber, data.person.code];

describe('key rotation with the services running', () => {
  let system: RunningSystem;
  const gateways: TestGateway[] = [];
  beforeAll(async () => {
    // the subgraphs have moved first: the new proof secret, and the old one as previous
    system = await startTestSystem(backend!, {
      env: { GATEWAY_PROOF_SECRET: PROOF_NEW, GATEWAY_PROOF_SECRET_PREVIOUS: PROOF_OLD, MASK_HASH_KEY: MASK_B },
    });
  }, 120_000);
  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await system?.stop();
  });

  const gateway = async (env: Record<string, string>) => {
    const started = await startGateway(backend!, env, system.subgraphUrls);
    gateways.push(started);
    return started;
  };
  const askAsBank = async (at: TestGateway) =>
    graphql<any>(at.url, QUERY, { o: org.code, p: person.code }, await as({ caller: 'bank', scopes: ['credit:read', 'list:BLACK'] }));

  test('hashes follow the mask key; during the overlap each is linked to the one shown before, after it to none', async () => {
    const raw = [org.legalRepresentative!.idNumber, person.code];

    // before: the gateway still signs with the old proof secret (accepted during the overlap) and hashes with key A
    const before = await askAsBank(await gateway({ GATEWAY_PROOF_SECRET: PROOF_OLD, MASK_HASH_KEY: MASK_A }));
    expect(before.errors).toBeUndefined();
    const seenBefore = hashesOf(before.data);
    expect(seenBefore).toEqual(raw.map((value) => keyedHash(MASK_A, value)));
    expect(before.extensions).not.toHaveProperty('hashLinks');

    // during: the new proof secret, key B, and A as the previous key
    const during = await askAsBank(await gateway({ GATEWAY_PROOF_SECRET: PROOF_NEW, MASK_HASH_KEY: MASK_B, MASK_HASH_KEY_PREVIOUS: MASK_A }));
    expect(during.errors).toBeUndefined();
    const seenDuring = hashesOf(during.data);
    expect(seenDuring).toEqual(raw.map((value) => keyedHash(MASK_B, value)));
    expect(during.extensions?.hashLinks).toEqual({ [seenDuring[0]!]: seenBefore[0], [seenDuring[1]!]: seenBefore[1] });
    // the links hold hashes only, of values the bank was shown hashed: never an input
    for (const value of raw) expect(JSON.stringify(during)).not.toContain(value);

    // after: key B alone; the same hashes, no links
    const after = await askAsBank(await gateway({ GATEWAY_PROOF_SECRET: PROOF_NEW, MASK_HASH_KEY: MASK_B }));
    expect(after.errors).toBeUndefined();
    expect(hashesOf(after.data)).toEqual(seenDuring);
    expect(after.extensions).not.toHaveProperty('hashLinks');
  });

  test('during the overlap the subgraphs accept proofs of the old and the new secret only: a gateway signing with another gets no data', async () => {
    const quiet = console.error;
    console.error = () => undefined; // the gateway reports each refused fetch
    try {
      const res = await askAsBank(await gateway({ GATEWAY_PROOF_SECRET: randomBytes(32).toString('base64url'), MASK_HASH_KEY: MASK_B }));
      expect(res.data?.org ?? null).toBeNull();
      expect(res.errors?.map((e) => e.extensions?.code)).toContain('SERVICE_UNAVAILABLE');
      expect(res.extensions).not.toHaveProperty('hashLinks');
    } finally {
      console.error = quiet;
    }
  });
});
