import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { base64url, exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { ANONYMOUS } from '../../lib/contracts/caller.js';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_KID, DEV_PRIVATE_JWK, DEV_PUBLIC_JWKS } from './devKey.js';
import { mintToken } from './mintToken.js';
import { createTokenVerifier, KeySetUnavailableError, type TokenVerifierOptions } from './verifyToken.js';

const devOptions: TokenVerifierOptions = { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, jwks: { keys: [...DEV_PUBLIC_JWKS.keys] } };
const verifier = createTokenVerifier(devOptions);
const now = () => Math.floor(Date.now() / 1000);

/** Every claim the verifier requires, valid for an hour; tests remove or change one. */
function claims(overrides: Record<string, unknown> = {}): JWTPayload {
  return {
    iss: DEV_ISSUER,
    aud: DEV_AUDIENCE,
    sub: 'dev-portal',
    iat: now(),
    exp: now() + 3600,
    jti: 'jti-1',
    client_id: 'dev-portal',
    scope: 'credit:read',
    caller: 'portal',
    ...overrides,
  };
}

/** Signs arbitrary claims and header, to craft tokens mintToken refuses to make. */
async function sign(payload: JWTPayload, header: Record<string, unknown> = {}, key: JWK = DEV_PRIVATE_JWK): Promise<string> {
  const alg = (header.alg as string | undefined) ?? 'ES256';
  return new SignJWT(payload).setProtectedHeader({ alg, typ: 'at+jwt', kid: DEV_KID, ...header }).sign(await importJWK(key, alg));
}

async function expectRejected(token: string | undefined, reason: RegExp, header = `Bearer ${token}`): Promise<void> {
  const error = await verifier.verify(header, undefined).then(
    () => null,
    (e: unknown) => e as { message: string; extensions: Record<string, unknown> },
  );
  expect(error).not.toBeNull();
  expect(error!.extensions).toMatchObject({ code: 'UNAUTHENTICATED', http: { status: 401 } });
  expect(error!.message).toMatch(reason);
  if (token) expect(error!.message).not.toContain(token);
}

describe('a valid token becomes the caller policy reads', () => {
  test('a department token yields its department, region, split scopes and allowed purposes', async () => {
    const token = await mintToken({
      caller: 'department',
      department: 'SAMR-320583',
      region: '320583',
      scopes: ['credit:read', 'credit:read:personal', 'check:run'],
      purposes: ['approval', 'procurement'],
    });
    const { caller, refusedPurpose } = await verifier.verify(`Bearer ${token}`, undefined);
    expect(caller).toMatchObject({
      kind: 'department',
      department: 'SAMR-320583',
      region: '320583',
      clientId: 'dev-department',
      principal: 'dev-department',
      purpose: null,
    });
    expect(caller.tokenId).toMatch(/^[0-9a-f-]{36}$/);
    expect([...caller.scopes]).toEqual(['credit:read', 'credit:read:personal', 'check:run']);
    expect([...caller.allowedPurposes]).toEqual(['approval', 'procurement']);
    expect(refusedPurpose).toBeNull();
  });

  test('a subject token names the subject by its code', async () => {
    const token = await mintToken({ caller: 'subject', subject: '91320583MA1MDEM00H', scopes: ['repair:apply'] });
    const { caller } = await verifier.verify(`Bearer ${token}`, undefined);
    expect(caller).toMatchObject({ kind: 'subject', principal: '91320583MA1MDEM00H', department: null, region: null });
  });

  test('the Bearer scheme is case-insensitive and typ may be written application/AT+JWT', async () => {
    const token = await sign(claims(), { typ: 'application/AT+JWT' });
    const { caller } = await verifier.verify(`bearer  ${token}`, undefined);
    expect(caller.kind).toBe('portal');
  });

  test('a department claim on a non-department token grants no department', async () => {
    const { caller } = await verifier.verify(`Bearer ${await sign(claims({ department: 'SAMR' }))}`, undefined);
    expect(caller.department).toBeNull();
  });
});

describe('no token is the public view (A3)', () => {
  test('no Authorization header → ANONYMOUS', async () => {
    expect(await verifier.verify(undefined, undefined)).toEqual({ caller: ANONYMOUS, refusedPurpose: null });
  });

  test('a purpose stated without a token is reported as refused', async () => {
    expect(await verifier.verify(undefined, 'approval')).toEqual({ caller: ANONYMOUS, refusedPurpose: 'approval' });
  });
});

describe('the stated purpose (A2)', () => {
  const token = () => mintToken({ caller: 'bank', scopes: ['credit:read'], purposes: ['financing'] });

  test('a purpose the token allows becomes caller.purpose (trimmed)', async () => {
    const { caller, refusedPurpose } = await verifier.verify(`Bearer ${await token()}`, '  financing ');
    expect(caller.purpose).toBe('financing');
    expect(refusedPurpose).toBeNull();
  });

  test('a purpose the token does not allow is dropped and reported as refused', async () => {
    const { caller, refusedPurpose } = await verifier.verify(`Bearer ${await token()}`, 'marketing');
    expect(caller.purpose).toBeNull();
    expect(refusedPurpose).toBe('marketing');
  });

  test('a blank purpose header states no purpose', async () => {
    expect((await verifier.verify(`Bearer ${await token()}`, '   ')).refusedPurpose).toBeNull();
  });
});

describe('a rejected token is UNAUTHENTICATED (401) and says why', () => {
  test('forged signature: another key claiming the development kid', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const forged = await sign(claims(), {}, { ...(await exportJWK(privateKey)), kid: DEV_KID });
    await expectRejected(forged, /bad signature/);
  });

  test('a tampered payload fails the signature', async () => {
    const [h, , s] = (await sign(claims())).split('.');
    const payload = base64url.encode(JSON.stringify(claims({ scope: 'credit:read credit:read:secret' })));
    await expectRejected(`${h}.${payload}.${s}`, /bad signature/);
  });

  test('alg "none" (unsigned) is refused', async () => {
    const part = (o: object) => base64url.encode(JSON.stringify(o));
    await expectRejected(`${part({ alg: 'none', typ: 'at+jwt' })}.${part(claims())}.`, /unsupported alg/);
  });

  test('HS256 signed with the public key as the secret (algorithm confusion) is refused', async () => {
    const publicPem = await exportSPKI((await importJWK(DEV_PUBLIC_JWKS.keys[0]!, 'ES256', { extractable: true })) as CryptoKey);
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: DEV_KID }).sign(new TextEncoder().encode(publicPem));
    await expectRejected(token, /unsupported alg/);
  });

  test('a verifier cannot be configured to accept none or HS256', () => {
    expect(() => createTokenVerifier({ ...devOptions, algorithms: ['ES256', 'HS256'] })).toThrow(/HS256/);
    expect(() => createTokenVerifier({ ...devOptions, algorithms: ['none'] })).toThrow(/none/);
  });

  test('wrong issuer', async () => {
    await expectRejected(await mintToken({ caller: 'portal', issuer: 'https://evil.example/' }), /wrong issuer/);
  });

  test('wrong audience', async () => {
    await expectRejected(await mintToken({ caller: 'portal', audience: 'another-api' }), /wrong audience/);
  });

  test('expired, beyond the clock tolerance', async () => {
    const token = await mintToken({ caller: 'portal', ttlSeconds: 600, now: new Date(Date.now() - 3600_000) });
    await expectRejected(token, /expired/);
  });

  test('not yet valid (nbf in the future)', async () => {
    await expectRejected(await sign(claims({ nbf: now() + 3600 })), /not yet valid/);
  });

  test('missing typ, or typ JWT (an ID token is not an access token)', async () => {
    await expectRejected(await sign(claims(), { typ: undefined }), /typ/);
    await expectRejected(await sign(claims(), { typ: 'JWT' }), /typ/);
  });

  test.each(['jti', 'client_id', 'caller', 'scope', 'sub', 'iat', 'exp'])('missing claim %s', async (claim) => {
    const payload = claims();
    delete payload[claim];
    await expectRejected(await sign(payload), new RegExp(`missing claim "${claim}"`));
  });

  test('a department caller without a department', async () => {
    await expectRejected(await sign(claims({ caller: 'department' })), /missing claim "department"/);
  });

  test('a caller kind that is not a token kind (anonymous, admin)', async () => {
    await expectRejected(await sign(claims({ caller: 'anonymous' })), /"caller" must be one of/);
    await expectRejected(await sign(claims({ caller: 'admin' })), /"caller" must be one of/);
  });

  test('malformed scope and purposes claims', async () => {
    await expectRejected(await sign(claims({ scope: ['credit:read'] })), /"scope"/);
    await expectRejected(await sign(claims({ purposes: 'approval' })), /"purposes"/);
  });

  test('a key the verifier does not know', async () => {
    await expectRejected(await sign(claims(), { kid: 'someone-else' }), /unknown key/);
  });

  test.each(['Basic x', 'Bearer', 'Bearer ', 'Bearer a.b', 'Bearer a.b.c', 'Token abc', ''])('garbage Authorization header %j', async (header) => {
    await expectRejected(undefined, /Bearer|malformed/, header);
  });
});

describe('a remote JWKS is cached, and refetched on an unknown kid at most once per cooldown', () => {
  let server: Server;
  let served: { keys: JWK[] } = { keys: [] };
  let hits = 0;
  let url = '';
  const keys: { priv: JWK; pub: JWK }[] = [];

  beforeAll(async () => {
    for (const kid of ['rotation-1', 'rotation-2']) {
      const pair = await generateKeyPair('ES256', { extractable: true });
      keys.push({ priv: { ...(await exportJWK(pair.privateKey)), kid, alg: 'ES256' }, pub: { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256' } });
    }
    server = createServer((req, res) => {
      if (req.url !== '/jwks') return res.writeHead(503).end();
      hits++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    served = { keys: [keys[0]!.pub] };
    hits = 0;
  });

  const remoteVerifier = (extra: Partial<TokenVerifierOptions> = {}) =>
    createTokenVerifier({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, jwksUrl: `${url}/jwks`, jwksCooldownSeconds: 1, ...extra });
  const tokenBy = (i: number) => mintToken({ caller: 'portal', key: keys[i]!.priv });

  test('the key set is fetched once; further tokens with a known kid use the cache', async () => {
    const v = remoteVerifier();
    expect((await v.verify(`Bearer ${await tokenBy(0)}`, undefined)).caller.kind).toBe('portal');
    expect(hits).toBe(1);
    await v.verify(`Bearer ${await tokenBy(0)}`, undefined);
    expect(hits).toBe(1);
  });

  test('after a key rotation the new kid is fetched, but not again within the cooldown', async () => {
    const v = remoteVerifier();
    await v.verify(`Bearer ${await tokenBy(0)}`, undefined);
    expect(hits).toBe(1);

    served = { keys: [keys[1]!.pub] };
    const rotated = `Bearer ${await tokenBy(1)}`;
    await expect(v.verify(rotated, undefined)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(hits).toBe(1); // throttled: an unknown kid cannot make us hammer the issuer

    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await v.verify(rotated, undefined)).caller.kind).toBe('portal');
    expect(hits).toBe(2);
  });

  test('inline keys and a remote set together: inline first, then the remote set', async () => {
    const v = remoteVerifier({ jwks: { keys: [...DEV_PUBLIC_JWKS.keys] } });
    await v.verify(`Bearer ${await mintToken({ caller: 'portal' })}`, undefined);
    expect(hits).toBe(0);
    await v.verify(`Bearer ${await tokenBy(0)}`, undefined);
    expect(hits).toBe(1);
  });

  test("an unreachable key set is our failure (500), not the caller's (401)", async () => {
    const v = createTokenVerifier({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, jwksUrl: `${url}/down` });
    await expect(v.verify(`Bearer ${await tokenBy(0)}`, undefined)).rejects.toBeInstanceOf(KeySetUnavailableError);
  });
});

describe('a verified token is remembered, never beyond its life', () => {
  test('a token verified before is verified again from memory: the same caller, with the purpose this request states', async () => {
    const token = await mintToken({ caller: 'department', department: 'NDRC', scopes: ['credit:read'], purposes: ['ADMINISTRATIVE_APPROVAL'] });
    const first = await verifier.verify(`Bearer ${token}`, 'ADMINISTRATIVE_APPROVAL');
    const second = await verifier.verify(`Bearer ${token}`, undefined);
    const third = await verifier.verify(`Bearer ${token}`, 'MARKETING');
    expect(first.caller.purpose).toBe('ADMINISTRATIVE_APPROVAL');
    expect(second).toEqual({ caller: { ...first.caller, purpose: null }, refusedPurpose: null });
    expect(third).toEqual({ caller: { ...first.caller, purpose: null }, refusedPurpose: 'MARKETING' });
  });

  test('a remembered token still expires: past exp (and the clock tolerance) it is refused', async () => {
    let clock = now();
    const remembering = createTokenVerifier({ ...devOptions, now: () => clock });
    const token = await sign(claims({ iat: clock, exp: clock + 60 }));
    expect((await remembering.verify(`Bearer ${token}`, undefined)).caller.kind).toBe('portal');
    clock += 60 + 31;
    await expect(remembering.verify(`Bearer ${token}`, undefined)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  test('a token that failed is not remembered as anything: it fails again', async () => {
    const forged = (await sign(claims())).replace(/\.[^.]+$/, '.AAAA');
    await expectRejected(forged, /signature|malformed/);
    await expectRejected(forged, /signature|malformed/);
  });
});
