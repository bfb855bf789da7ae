/**
 * The one place that reads the environment. Everything else receives a typed `Config`.
 * Every problem is reported at once, so an operator fixes the environment in one go.
 */
export interface Config {
  host: string;
  ports: { gateway: number; listings: number; enforcement: number; repair: number };
  /** Where the gateway finds each subgraph; by default on `host` at the subgraph's port. */
  subgraphUrls: { listings: string; enforcement: string; repair: string };
  /** PostgreSQL; absent: embedded PGlite files under `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  redisUrl?: string;
  /** Load the demonstration data into empty databases on start. */
  seed: boolean;
  /** Early pilot credit codes that fail the GB 32100 checksum but are genuine. */
  legacyCreditCodes: ReadonlySet<string>;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Env = Record<string, string | undefined>;

export function readConfig(env: Env = process.env): Config {
  const problems: string[] = [];

  const port = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > 65535) {
      problems.push(`${name} must be a port number 0-65535, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return value;
  };
  const url = (name: string, protocols: string[]): string | undefined => {
    const raw = env[name];
    if (!raw) return undefined;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) problems.push(`${name} must be a ${protocols.join(' or ')} URL, got ${parsed.protocol}`);
    } catch {
      problems.push(`${name} is not a URL`);
    }
    return raw;
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name} must be true or false, got ${JSON.stringify(env[name])}`);
    return fallback;
  };

  const host = env.HOST || '127.0.0.1';
  const ports = {
    gateway: port('GATEWAY_PORT', 4000),
    listings: port('LISTINGS_PORT', 4001),
    enforcement: port('ENFORCEMENT_PORT', 4002),
    repair: port('REPAIR_PORT', 4003),
  };
  const local = (p: number) => `http://${host === '0.0.0.0' ? 'localhost' : host}:${p}/graphql`;
  const subgraphUrls = {
    listings: url('LISTINGS_URL', ['http:', 'https:']) ?? local(ports.listings),
    enforcement: url('ENFORCEMENT_URL', ['http:', 'https:']) ?? local(ports.enforcement),
    repair: url('REPAIR_URL', ['http:', 'https:']) ?? local(ports.repair),
  };
  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const redisUrl = url('REDIS_URL', ['redis:', 'rediss:']);
  const legacyCreditCodes = new Set(
    (env.LEGACY_CREDIT_CODES ?? '')
      .split(',')
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean),
  );
  const config: Config = {
    host,
    ports,
    subgraphUrls,
    dataDir: env.DATA_DIR || 'data',
    seed: flag('SEED', true),
    legacyCreditCodes,
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(redisUrl ? { redisUrl } : {}),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
