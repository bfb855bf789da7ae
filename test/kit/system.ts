import { readConfig } from '../../lib/platform/config.js';
import { dropPostgresSchema } from '../../lib/platform/db/index.js';
import type { Clock } from '../../lib/platform/clock.js';
import { startSystem, type RunningSystem } from '../../scripts/system.js';
import type { Backend } from './backends.js';
import { uniqueName } from './backends.js';

/**
 * The configuration of a test system: free ports, seeded, on `backend`, with `env` on top. Every test client comes
 * from 127.0.0.1, and most share a development token's client id, so the per-client rates of the public, the portal
 * and subjects, and the person-lookup budget, are raised (the tests of those limits set their own); the banks' keep
 * their default.
 */
export function testConfig(backend: Backend, env: Record<string, string> = {}) {
  const { CALLER_LIMITS: limits, ...rest } = env;
  const overrides = (limits ? JSON.parse(limits) : {}) as Record<string, Record<string, number>>;
  const generous = { anonymous: { rate: 100_000 }, portal: { rate: 100_000 }, subject: { rate: 100_000 } } as Record<string, Record<string, number>>;
  for (const [kind, values] of Object.entries(overrides)) generous[kind] = { ...generous[kind], ...values };
  return readConfig({
    GATEWAY_PORT: '0',
    LISTINGS_PORT: '0',
    ENFORCEMENT_PORT: '0',
    REPAIR_PORT: '0',
    SEED: 'true',
    PERSON_LOOKUPS_PER_MINUTE: '1000',
    // tests change data behind the gateway (SQL, the clock) and read it at once: the answer cache has tests of its own
    ANSWER_CACHE_TTL_MS: '0',
    ...(backend.url ? { DATABASE_URL: backend.url } : {}),
    ...rest,
    CALLER_LIMITS: JSON.stringify(generous),
  });
}

/**
 * The whole system on free ports and fresh databases of `backend`, seeded; `stop` removes every trace. `env` sets
 * configuration as the environment would (e.g. GATEWAY_PROOF_SECRET, PERSON_LOOKUPS_PER_MINUTE).
 */
export async function startTestSystem(backend: Backend, options: { seed?: boolean; clock?: Clock; env?: Record<string, string> } = {}): Promise<RunningSystem> {
  const config = testConfig(backend, { SEED: String(options.seed ?? true), ...options.env });
  const databaseNames = {
    listings: uniqueName('listings'),
    enforcement: uniqueName('enforcement'),
    repair: uniqueName('repair'),
    gateway: uniqueName('gateway'),
  };
  const system = await startSystem({ config, databaseNames, inMemory: true, ...(options.clock ? { clock: options.clock } : {}) });
  return {
    ...system,
    stop: async () => {
      await system.stop();
      if (backend.url) for (const name of Object.values(databaseNames)) await dropPostgresSchema(backend.url, name);
    },
  };
}

/** POSTs a GraphQL operation and returns the parsed response with its HTTP status. */
export async function graphql<Data = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  data?: Data | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...(await response.json()) };
}
