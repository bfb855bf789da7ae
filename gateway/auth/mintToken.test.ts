import { decodeJwt, decodeProtectedHeader } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_KID } from './devKey.js';
import { MintOptionsError, mintToken, type MintTokenOptions } from './mintToken.js';

describe('mintToken: development access tokens', () => {
  test('an RFC 9068 access token: typ at+jwt, the dev kid, iat/exp from ttl, a fresh jti each time', async () => {
    const now = new Date('2026-05-01T08:00:00Z');
    const token = await mintToken({ caller: 'bank', region: '110000', scopes: ['credit:read'], purposes: ['financing'], ttlSeconds: 600, now });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: DEV_KID });
    const iat = now.getTime() / 1000;
    expect(decodeJwt(token)).toMatchObject({
      iss: DEV_ISSUER,
      aud: DEV_AUDIENCE,
      sub: 'dev-bank',
      client_id: 'dev-bank',
      caller: 'bank',
      region: '110000',
      scope: 'credit:read',
      purposes: ['financing'],
      iat,
      exp: iat + 600,
    });
    expect(decodeJwt(token).jti).not.toBe(decodeJwt(await mintToken({ caller: 'bank', now })).jti);
  });

  test.each(['agency', 'association', 'media'] as const)('A5: a %s token names its kind and its client (its sub too)', async (caller) => {
    expect(decodeJwt(await mintToken({ caller, clientId: 'CCX', scopes: ['report:submit'] }))).toMatchObject({
      caller,
      client_id: 'CCX',
      sub: 'CCX',
      scope: 'report:submit',
    });
  });

  test('a subject token carries the (normalised) subject code as sub', async () => {
    expect(decodeJwt(await mintToken({ caller: 'subject', subject: ' 11010519491231002x ' })).sub).toBe('11010519491231002X');
  });

  test.each<[string, MintTokenOptions, RegExp]>([
    ['department caller without a department', { caller: 'department' }, /needs --department/],
    ['subject caller without a subject', { caller: 'subject' }, /needs --subject/],
    ['a subject code that fails its check', { caller: 'subject', subject: '91350100M000100Y4A' }, /check character/],
    ['--subject for another caller', { caller: 'bank', subject: '91320583MA1MDEM00H' }, /only for --caller subject/],
    ['--department for another caller', { caller: 'portal', department: 'SAMR' }, /only for --caller department/],
    ['an unknown caller kind', { caller: 'anonymous' as MintTokenOptions['caller'] }, /caller must be one of/],
    ['ttl 0', { caller: 'portal', ttlSeconds: 0 }, /ttl/],
    ['negative ttl', { caller: 'portal', ttlSeconds: -5 }, /ttl/],
    ['ttl over 24 h', { caller: 'portal', ttlSeconds: 86401 }, /ttl/],
    ['a scope with a space in it', { caller: 'portal', scopes: ['credit:read check:run'] }, /scopes/],
    ['an empty client id', { caller: 'agency', clientId: '' }, /client id/],
    ['a client id with a space in it', { caller: 'agency', clientId: 'CCX DAGONG_CREDIT' }, /client id/],
  ])('refuses %s', async (_, options, message) => {
    const error = await mintToken(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MintOptionsError);
    expect((error as Error).message).toMatch(message);
  });

  test('a legacy pilot code is accepted as a subject only when configured', async () => {
    const legacy = '91350211M0000XUF46';
    await expect(mintToken({ caller: 'subject', subject: legacy })).rejects.toBeInstanceOf(MintOptionsError);
    expect(decodeJwt(await mintToken({ caller: 'subject', subject: legacy, legacyCreditCodes: new Set([legacy]) })).sub).toBe(legacy);
  });

  test('24 h is the longest ttl allowed', async () => {
    const token = await mintToken({ caller: 'portal', ttlSeconds: 86400 });
    const { iat, exp } = decodeJwt(token);
    expect(exp! - iat!).toBe(86400);
  });
});
