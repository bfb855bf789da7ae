import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, readConfig } from './config.js';

/** The problems readConfig reports for an environment; none when it is accepted. */
function problems(env: Record<string, string>): string[] {
  try {
    readConfig(env);
    return [];
  } catch (e) {
    return (e as ConfigError).problems;
  }
}

describe('readConfig', () => {
  test('an empty environment gives the documented defaults: ports 4000–4003, embedded PGlite under data/, seeding on', () => {
    const config = readConfig({});
    expect(config.ports).toEqual({ gateway: 4000, listings: 4001, enforcement: 4002, repair: 4003 });
    expect(config.subgraphUrls.enforcement).toBe('http://127.0.0.1:4002/graphql');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe('data');
    expect(config.seed).toBe(true);
    expect(config.legacyCreditCodes.size).toBe(0);
    expect(config.eventsPrefix).toBe('credit-graph:events:');
  });

  test('variables override the defaults, and subgraph addresses follow their ports', () => {
    const config = readConfig({
      LISTINGS_PORT: '5001',
      REPAIR_URL: 'http://repair:8080/graphql',
      DATABASE_URL: 'postgres://u@db:5432/credit',
      SEED: 'false',
      LEGACY_CREDIT_CODES: ' 91350211m0000xuf46 ,',
      EVENTS_PREFIX: 'credit-graph:staging:',
    });
    expect(config.eventsPrefix).toBe('credit-graph:staging:');
    expect(config.subgraphUrls.listings).toBe('http://127.0.0.1:5001/graphql');
    expect(config.subgraphUrls.repair).toBe('http://repair:8080/graphql');
    expect(config.databaseUrl).toBe('postgres://u@db:5432/credit');
    expect(config.seed).toBe(false);
    expect([...config.legacyCreditCodes]).toEqual(['91350211M0000XUF46']);
  });

  test('every invalid variable is reported at once, by name', () => {
    let error: unknown;
    try {
      readConfig({ GATEWAY_PORT: '70000', REPAIR_PORT: 'abc', DATABASE_URL: 'mysql://x', SEED: 'maybe', EVENTS_PREFIX: 'two words' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['GATEWAY_PORT', 'REPAIR_PORT', 'DATABASE_URL', 'SEED', 'EVENTS_PREFIX']) expect(problems).toContain(name);
  });

  test('observability: log level, OTLP endpoint and the gateway metrics port (its own; a free one when the gateway takes a free one)', () => {
    expect(readConfig({})).toMatchObject({ logLevel: 'info', gatewayMetricsPort: 9464 });
    expect(readConfig({}).otlpEndpoint).toBeUndefined();
    expect(readConfig({ GATEWAY_PORT: '0' }).gatewayMetricsPort).toBe(0);
    expect(readConfig({ LOG_LEVEL: 'debug', GATEWAY_METRICS_PORT: '9100', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toMatchObject({
      logLevel: 'debug',
      gatewayMetricsPort: 9100,
      otlpEndpoint: 'http://collector:4318',
    });
    let error: unknown;
    try {
      readConfig({ LOG_LEVEL: 'loud', OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318', GATEWAY_METRICS_PORT: '-1' });
    } catch (e) {
      error = e;
    }
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['LOG_LEVEL', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'GATEWAY_METRICS_PORT']) expect(problems).toContain(name);
  });

  test('secrets can come from files (<NAME>_FILE, as Docker and Kubernetes mount them), trailing newline dropped; never both, never unreadable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-secrets-'));
    try {
      const proof = join(dir, 'proof');
      const mask = join(dir, 'mask');
      writeFileSync(proof, 'a proof secret of at least thirty-two characters\n');
      writeFileSync(mask, 'a mask key read from a mounted file\n');
      const config = readConfig({ GATEWAY_PROOF_SECRET_FILE: proof, MASK_HASH_KEY_FILE: mask });
      expect(config.gatewayProofSecret).toBe('a proof secret of at least thirty-two characters');
      expect(config.maskHashKey).toBe('a mask key read from a mounted file');
      expect(problems({ GATEWAY_PROOF_SECRET_FILE: proof, GATEWAY_PROOF_SECRET: 'x'.repeat(40) })).toEqual([
        'set GATEWAY_PROOF_SECRET or GATEWAY_PROOF_SECRET_FILE, not both',
      ]);
      expect(problems({ MASK_HASH_KEY_FILE: join(dir, 'missing') })).toEqual([`MASK_HASH_KEY_FILE names ${join(dir, 'missing')}, which cannot be read`]);
      // rotation: the previous proof secret is read the same way, and held to the same length
      expect(readConfig({ GATEWAY_PROOF_SECRET_FILE: proof, GATEWAY_PROOF_SECRET_PREVIOUS: 'p'.repeat(32) }).gatewayProofSecretPrevious).toBe('p'.repeat(32));
      expect(problems({ GATEWAY_PROOF_SECRET_PREVIOUS: 'short' })).toEqual(['GATEWAY_PROOF_SECRET_PREVIOUS must be at least 32 characters']);
      // and the previous mask key like the current one: from the environment or a file, never both, never unreadable
      writeFileSync(join(dir, 'old-mask'), 'the mask key before the rotation\n');
      expect(readConfig({ MASK_HASH_KEY_FILE: mask, MASK_HASH_KEY_PREVIOUS_FILE: join(dir, 'old-mask') }).maskHashKeyPrevious).toBe(
        'the mask key before the rotation',
      );
      expect(problems({ MASK_HASH_KEY_FILE: mask, MASK_HASH_KEY_PREVIOUS_FILE: join(dir, 'old-mask'), MASK_HASH_KEY_PREVIOUS: 'x' })).toEqual([
        'set MASK_HASH_KEY_PREVIOUS or MASK_HASH_KEY_PREVIOUS_FILE, not both',
      ]);
      expect(problems({ MASK_HASH_KEY_FILE: mask, MASK_HASH_KEY_PREVIOUS_FILE: join(dir, 'missing') })).toEqual([
        `MASK_HASH_KEY_PREVIOUS_FILE names ${join(dir, 'missing')}, which cannot be read`,
      ]);
      // a short secret in a file is as short as in the environment
      writeFileSync(proof, 'short\n');
      expect(problems({ GATEWAY_PROOF_SECRET_FILE: proof })).toEqual(['GATEWAY_PROOF_SECRET must be at least 32 characters']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('rotating the mask key: the previous key is optional, must differ from the current one, and is refused without one', () => {
    expect(readConfig({ MASK_HASH_KEY: 'the new mask key' }).maskHashKeyPrevious).toBeUndefined();
    expect(readConfig({ MASK_HASH_KEY: 'the new mask key', MASK_HASH_KEY_PREVIOUS: 'the old mask key' }).maskHashKeyPrevious).toBe('the old mask key');
    expect(problems({ MASK_HASH_KEY: 'the same key', MASK_HASH_KEY_PREVIOUS: 'the same key' })).toEqual([
      'MASK_HASH_KEY_PREVIOUS must differ from MASK_HASH_KEY',
    ]);
    // without a key of its own the gateway would hash with the public development key: not a rotation
    expect(problems({ MASK_HASH_KEY_PREVIOUS: 'the old mask key' })).toEqual([
      'MASK_HASH_KEY_PREVIOUS needs MASK_HASH_KEY (or MASK_HASH_KEY_FILE), the key rotated to',
    ]);
    // in production the overlap is configured the same way
    const production = {
      NODE_ENV: 'production',
      AUTH_TRUST_DEV_KEY: 'false',
      AUTH_JWKS_URL: 'https://issuer.example/jwks',
      GATEWAY_PROOF_SECRET: 'p'.repeat(32),
    };
    expect(readConfig({ ...production, MASK_HASH_KEY: 'the new mask key', MASK_HASH_KEY_PREVIOUS: 'the old mask key' }).maskHashKeyPrevious).toBe(
      'the old mask key',
    );
  });

  test('the explorer is on by default, off in production unless EXPLORER says so', () => {
    const production = {
      NODE_ENV: 'production',
      AUTH_JWKS_URL: 'https://issuer.example/jwks',
      MASK_HASH_KEY: 'a production mask key',
      GATEWAY_PROOF_SECRET: 'p'.repeat(32),
    };
    expect(readConfig({}).explorer).toBe(true);
    expect(readConfig({ EXPLORER: 'false' }).explorer).toBe(false);
    expect(readConfig(production).explorer).toBe(false);
    expect(readConfig({ ...production, EXPLORER: 'true' }).explorer).toBe(true);
    expect(problems({ EXPLORER: 'sometimes' })).toEqual(['EXPLORER must be true or false, got "sometimes"']);
  });

  test('CORS_ORIGINS: none by default; exact origins, each named when it is not one', () => {
    expect(readConfig({}).corsOrigins.size).toBe(0);
    expect([...readConfig({ CORS_ORIGINS: ' https://portal.example.gov.cn, http://localhost:8080 ,' }).corsOrigins]).toEqual([
      'https://portal.example.gov.cn',
      'http://localhost:8080',
    ]);
    expect(problems({ CORS_ORIGINS: 'https://portal.example.gov.cn/,*,ftp://files.example.gov.cn,https://Portal.example.gov.cn:443' })).toEqual([
      'CORS_ORIGINS must list origins such as https://portal.example.gov.cn: "https://portal.example.gov.cn/" is not one; write "https://portal.example.gov.cn"',
      'CORS_ORIGINS must list origins such as https://portal.example.gov.cn: "*" is not a URL',
      'CORS_ORIGINS must list origins such as https://portal.example.gov.cn: "ftp://files.example.gov.cn" is not http or https',
      'CORS_ORIGINS must list origins such as https://portal.example.gov.cn: "https://Portal.example.gov.cn:443" is not one; write "https://portal.example.gov.cn"',
    ]);
  });
});
