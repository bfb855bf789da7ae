import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CALLER_KINDS, type CallerKind } from '../contracts/caller.js';
import { SUPERGRAPH_FILE } from '../../schema/files.js';
import { readCallerLimits, type CallerLimits } from './limits.js';
import type { LogLevel } from './observe/log.js';

/**
 * The one place that reads the environment. Everything else receives a typed `Config`.
 * Every problem is reported at once, so an operator fixes the environment in one go.
 */
export interface Config {
  host: string;
  ports: { gateway: number; listings: number; enforcement: number; repair: number };
  /**
   * The gateway's `/metrics` listens here, never on the callers' port: counts of what the policy did would tell a
   * caller what it hid. The subgraphs, reached only by the gateway, serve `/metrics` on their own port.
   */
  gatewayMetricsPort: number;
  logLevel: LogLevel;
  /** OTLP/HTTP collector for traces (OTEL_EXPORTER_OTLP_ENDPOINT); absent: tracing is off. */
  otlpEndpoint?: string;
  /** The supergraph the gateway serves; watched, and reloaded when it changes (or on SIGHUP). */
  supergraphFile: string;
  /** Registered operations, one manifest per client (`<clientId>.json`); watched like the supergraph. */
  operationsDir: string;
  /** Caller kinds that may send only their client's registered operations (by id, or the registered text). */
  registeredOperationsOnly: ReadonlySet<CallerKind>;
  /** Where the gateway finds each subgraph; by default on `host` at the subgraph's port. */
  subgraphUrls: { listings: string; enforcement: string; repair: string };
  /** PostgreSQL; absent: embedded PGlite files under `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  redisUrl?: string;
  /** Namespace of the event stream in Redis: services of one deployment share it, other deployments on that Redis do not. */
  eventsPrefix: string;
  /** Load the demonstration data into empty databases on start. */
  seed: boolean;
  /** Early pilot credit codes that fail the GB 32100 checksum but are genuine. */
  legacyCreditCodes: ReadonlySet<string>;
  /** Shared by the gateway and the subgraphs to sign and check the gateway's proof; absent: one process makes its own. */
  gatewayProofSecret?: string;
  /** During a rotation: the secret the gateway signed with before; the subgraphs accept its proofs too. */
  gatewayProofSecretPrevious?: string;
  auth: {
    issuer: string;
    audience: string;
    /** A JWKS URL (fetched, cached, refetched on an unknown kid) and/or a JWKS file of trusted public keys. */
    jwksUrl?: string;
    jwksFile?: string;
    /** Trust the development key published in this repository (never in production). */
    trustDevKey: boolean;
    /** Tokens living longer than this (exp − iat) are refused, as are tokens issued in the future. */
    maxTokenLifetimeSeconds: number;
  };
  /** Key of the keyed hash that keeps masked identifiers linkable. */
  maskHashKey: string;
  /** During a rotation: the key values were hashed with before; responses link each hash to the one it gave (A3). */
  maskHashKeyPrevious?: string;
  /** Per caller kind: rates, requests in flight, body, tokens, depth, aliases, root fields, directives, list sizes, cost. */
  callerLimits: Record<CallerKind, CallerLimits>;
  /** `enforce`: an operation over its cost budget is refused; `measure`: it runs, and the cost is only reported. */
  costMode: 'enforce' | 'measure';
  /** How long the gateway waits for each subgraph (ms). */
  subgraphTimeoutsMs: Record<'listings' | 'enforcement' | 'repair', number>;
  /** On SIGTERM, how long requests in flight may take to finish (ms). */
  drainTimeoutMs: number;
  /** A statement of a request may run this long on PostgreSQL before it is cancelled (ms). */
  statementTimeoutMs: number;
  /**
   * A6: how many resident ID numbers a caller without a department token may look up, in one request and per
   * minute from one client (an address, or a token's client): enough for a person's own questions, far too few to
   * try the ~2,300 candidates a masked ID number leaves.
   */
  personLookups: { perRequest: number; perMinute: number };
  /** Addresses of the reverse proxies whose X-Forwarded-For is believed; any other peer is the client itself. */
  trustedProxies: ReadonlySet<string>;
  /** How long a query-log append may take before the data it would record is withheld (QUERY_LOG_UNAVAILABLE). */
  queryLogTimeoutMs: number;
  /**
   * How long the gateway gives an answer again at most (ANSWER_CACHE_TTL_MS; 0: never). Only answers that record and
   * write nothing are kept, and every event any service publishes ends them sooner (gateway/pipeline/answerFromCache.ts).
   */
  answerCacheTtlMs: number;
  /** GraphiQL at the gateway's `/graphql` for a browser, from its own files (EXPLORER; by default on, off in production). */
  explorer: boolean;
  /** Origins whose pages may call the gateway from a browser (CORS_ORIGINS), exactly as browsers send `Origin`. */
  corsOrigins: ReadonlySet<string>;
  production: boolean;
}

/** Development-only defaults; refused when NODE_ENV=production. */
export const DEV_ISSUER = 'https://credit-graph.local/dev-issuer';
export const DEV_AUDIENCE = 'credit-graph';
const DEV_MASK_HASH_KEY = 'credit-graph development mask key, not for production';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

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

  const positive = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) {
      problems.push(`${name} must be a whole number of at least 1, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return value;
  };

  const host = env.HOST || '127.0.0.1';
  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(env.LOG_LEVEL)}`);
  const otlpEndpoint = url('OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']);
  const production = env.NODE_ENV === 'production';
  // in production the market partners and portals run fixed integrations: nothing else need be accepted from them
  const registeredOnly = (env.REGISTERED_OPERATIONS_ONLY ?? (production ? 'bank,agency,association,media,portal' : ''))
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  for (const kind of registeredOnly) {
    if (!(CALLER_KINDS as readonly string[]).includes(kind))
      problems.push(`REGISTERED_OPERATIONS_ONLY must list caller kinds (${CALLER_KINDS.join(', ')}), got ${JSON.stringify(kind)}`);
  }
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
  const eventsPrefix = env.EVENTS_PREFIX || 'credit-graph:events:';
  if (!/^[\w:.-]{1,100}$/.test(eventsPrefix)) problems.push('EVENTS_PREFIX may hold letters, digits, and _ : . - only (at most 100)');
  /**
   * A secret from the environment, or from the file `<NAME>_FILE` names (a mounted Docker or Kubernetes secret, so the
   * value never sits in the environment or the compose file); trailing newlines are not part of it.
   */
  const secret = (name: string): string | undefined => {
    const file = env[`${name}_FILE`];
    if (!file) return env[name] || undefined;
    if (env[name]) problems.push(`set ${name} or ${name}_FILE, not both`);
    try {
      return readFileSync(file, 'utf8').replace(/[\r\n]+$/, '') || undefined;
    } catch {
      problems.push(`${name}_FILE names ${file}, which cannot be read`);
      return undefined;
    }
  };
  const gatewayProofSecret = secret('GATEWAY_PROOF_SECRET');
  if (gatewayProofSecret !== undefined && gatewayProofSecret.length < 32) problems.push('GATEWAY_PROOF_SECRET must be at least 32 characters');
  // rotation: the subgraphs accept proofs signed with the previous secret too, until the gateway signs with the new one
  const gatewayProofSecretPrevious = secret('GATEWAY_PROOF_SECRET_PREVIOUS');
  if (gatewayProofSecretPrevious !== undefined && gatewayProofSecretPrevious.length < 32)
    problems.push('GATEWAY_PROOF_SECRET_PREVIOUS must be at least 32 characters');
  const jwksUrl = url('AUTH_JWKS_URL', ['https:', 'http:']);
  const jwksFile = env.AUTH_JWKS_FILE || undefined;
  const trustDevKey = flag('AUTH_TRUST_DEV_KEY', !production);
  const configuredMaskKey = secret('MASK_HASH_KEY');
  const maskHashKey = configuredMaskKey ?? DEV_MASK_HASH_KEY;
  // rotation: values are hashed with MASK_HASH_KEY only; the previous key gives each hash's link to the old one
  const maskHashKeyPrevious = secret('MASK_HASH_KEY_PREVIOUS');
  if (maskHashKeyPrevious !== undefined && !configuredMaskKey)
    problems.push('MASK_HASH_KEY_PREVIOUS needs MASK_HASH_KEY (or MASK_HASH_KEY_FILE), the key rotated to');
  else if (maskHashKeyPrevious !== undefined && maskHashKeyPrevious === configuredMaskKey)
    problems.push('MASK_HASH_KEY_PREVIOUS must differ from MASK_HASH_KEY');
  if (production) {
    if (trustDevKey) problems.push('AUTH_TRUST_DEV_KEY must not be true in production: the development key is public');
    if (!jwksUrl && !jwksFile) problems.push("production needs AUTH_JWKS_URL or AUTH_JWKS_FILE (the token issuer's public keys)");
    if (!configuredMaskKey) problems.push('production needs MASK_HASH_KEY (or MASK_HASH_KEY_FILE)');
    if (!gatewayProofSecret) problems.push('production needs GATEWAY_PROOF_SECRET (or GATEWAY_PROOF_SECRET_FILE)');
  }
  const callerLimits = readCallerLimits(env.CALLER_LIMITS, problems);
  // the older names of the partner banks' rate limit
  callerLimits.bank.rate = positive('BANK_RATE_LIMIT', callerLimits.bank.rate);
  callerLimits.bank.rateWindowSeconds = positive('BANK_RATE_WINDOW_SECONDS', callerLimits.bank.rateWindowSeconds);
  const costMode = env.COST_MODE || 'enforce';
  if (costMode !== 'enforce' && costMode !== 'measure') problems.push(`COST_MODE must be enforce or measure, got ${JSON.stringify(costMode)}`);
  const subgraphTimeoutMs = positive('SUBGRAPH_TIMEOUT_MS', 10_000);
  const personLookups = { perRequest: positive('PERSON_LOOKUPS_PER_REQUEST', 5), perMinute: positive('PERSON_LOOKUPS_PER_MINUTE', 30) };
  if (personLookups.perRequest > personLookups.perMinute) problems.push('PERSON_LOOKUPS_PER_REQUEST must not exceed PERSON_LOOKUPS_PER_MINUTE');
  const trustedProxies = new Set(
    (env.TRUSTED_PROXIES ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
  );
  for (const address of trustedProxies) if (!isIP(address)) problems.push(`TRUSTED_PROXIES must list IP addresses, got ${JSON.stringify(address)}`);
  const corsOrigins = new Set(
    (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  );
  for (const origin of corsOrigins) {
    const problem = originProblem(origin);
    if (problem) problems.push(`CORS_ORIGINS must list origins such as https://portal.example.gov.cn: ${problem}`);
  }
  const config: Config = {
    host,
    ports,
    // a gateway on a free port (tests, benchmarks) gets its metrics on a free port too
    gatewayMetricsPort: port('GATEWAY_METRICS_PORT', ports.gateway === 0 ? 0 : 9464),
    logLevel: LOG_LEVELS.includes(logLevel) ? logLevel : 'info',
    ...(otlpEndpoint ? { otlpEndpoint } : {}),
    supergraphFile: env.SUPERGRAPH_FILE || fileURLToPath(SUPERGRAPH_FILE),
    operationsDir: env.OPERATIONS_DIR || 'operations',
    registeredOperationsOnly: new Set(registeredOnly as CallerKind[]),
    subgraphUrls,
    dataDir: env.DATA_DIR || 'data',
    eventsPrefix,
    seed: flag('SEED', true),
    legacyCreditCodes,
    auth: {
      issuer: env.AUTH_ISSUER || DEV_ISSUER,
      audience: env.AUTH_AUDIENCE || DEV_AUDIENCE,
      trustDevKey,
      maxTokenLifetimeSeconds: positive('AUTH_MAX_TOKEN_LIFETIME_SECONDS', 86_400),
      ...(jwksUrl ? { jwksUrl } : {}),
      ...(jwksFile ? { jwksFile } : {}),
    },
    maskHashKey,
    callerLimits,
    costMode: costMode === 'measure' ? 'measure' : 'enforce',
    subgraphTimeoutsMs: {
      listings: positive('LISTINGS_TIMEOUT_MS', subgraphTimeoutMs),
      enforcement: positive('ENFORCEMENT_TIMEOUT_MS', subgraphTimeoutMs),
      repair: positive('REPAIR_TIMEOUT_MS', subgraphTimeoutMs),
    },
    drainTimeoutMs: positive('DRAIN_TIMEOUT_MS', 10_000),
    statementTimeoutMs: positive('STATEMENT_TIMEOUT_MS', 10_000),
    personLookups,
    trustedProxies,
    queryLogTimeoutMs: positive('QUERY_LOG_TIMEOUT_MS', 2000),
    answerCacheTtlMs: env.ANSWER_CACHE_TTL_MS === '0' ? 0 : positive('ANSWER_CACHE_TTL_MS', 30_000),
    explorer: flag('EXPLORER', !production),
    corsOrigins,
    production,
    ...(gatewayProofSecretPrevious ? { gatewayProofSecretPrevious } : {}),
    ...(maskHashKeyPrevious ? { maskHashKeyPrevious } : {}),
    ...(gatewayProofSecret ? { gatewayProofSecret } : {}),
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(redisUrl ? { redisUrl } : {}),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * Why `raw` is not an origin as a browser sends it in `Origin` (scheme, host, and a port other than the scheme's
 * own; lower case, no path): compared character for character, any other spelling would match no request.
 */
function originProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `${JSON.stringify(raw)} is not a URL`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `${JSON.stringify(raw)} is not http or https`;
  if (url.origin !== raw) return `${JSON.stringify(raw)} is not one; write ${JSON.stringify(url.origin)}`;
  return null;
}
