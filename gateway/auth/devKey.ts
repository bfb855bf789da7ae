import type { JWK } from 'jose';

/*
 * !!! DEVELOPMENT ONLY !!!
 * This key pair is published in the repository: anyone can sign tokens with it. `npm start` and the tests
 * trust it so that `npm run token` works out of the box. A production gateway must NEVER trust it — configure
 * the real issuer's JWKS instead.
 * Generated once with jose `generateKeyPair('ES256')` + `exportJWK`.
 */

export { DEV_AUDIENCE, DEV_ISSUER } from '../../lib/platform/config.js';
export const DEV_KID = 'credit-graph-dev-1';

/** DEVELOPMENT ONLY: the private signing key (`d` is the secret, and it is public here). */
export const DEV_PRIVATE_JWK: Readonly<JWK> = Object.freeze({
  kty: 'EC',
  crv: 'P-256',
  x: 'VK9omvAWArmKJH4OCTU6IgLkLEE5td0Cg1ErN5p7tFk',
  y: '3yw53ixoWskZyVmRxPEIi-mX-jq7UozzuCNiYbsDl5c',
  d: 'LdaniQfKI4ebDH3EP2uC0n82SANKgZVZ7hik3A0N6PI',
  kid: DEV_KID,
  alg: 'ES256',
  use: 'sig',
});

/** DEVELOPMENT ONLY: the public key set a development gateway trusts. */
export const DEV_PUBLIC_JWKS: Readonly<{ keys: JWK[] }> = Object.freeze({
  keys: [
    {
      kty: 'EC',
      crv: 'P-256',
      x: 'VK9omvAWArmKJH4OCTU6IgLkLEE5td0Cg1ErN5p7tFk',
      y: '3yw53ixoWskZyVmRxPEIi-mX-jq7UozzuCNiYbsDl5c',
      kid: DEV_KID,
      alg: 'ES256',
      use: 'sig',
    },
  ],
});
