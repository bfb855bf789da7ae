import { ConfigError, readConfig } from './config.js';

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
});
