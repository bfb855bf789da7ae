import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** docker-compose.yml and the Dockerfile, read as a container would be started from them (no Docker engine needed). */
export interface ComposeService {
  /** set on the services built from this repository's image */
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  secrets?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}
export const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  secrets: Record<string, { file: string }>;
};
export const dockerfile = readFileSync('Dockerfile', 'utf8');

/** What the image sets (`ENV` lines of the Dockerfile): a container starts with it under the compose environment. */
export const imageEnv = Object.fromEntries([...dockerfile.matchAll(/^ENV (\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));

/**
 * The environment a service's container starts with — the image's, then the compose file's — with each mounted secret
 * (`/run/secrets/<name>`) read from the file the compose file mounts there, as the container would see it.
 */
export function composedEnv(name: string): Record<string, string> {
  const service = compose.services[name]!;
  const env: Record<string, string> = { ...imageEnv, ...service.environment };
  for (const [key, value] of Object.entries(env)) {
    const mounted = /^\/run\/secrets\/(.+)$/.exec(value)?.[1];
    if (!mounted) continue;
    expect(service.secrets).toContain(mounted);
    env[key] = compose.secrets[mounted]!.file;
  }
  return env;
}

/**
 * The composed production environment (secrets from files) on this machine: PGlite files under `dataDir` instead of
 * the compose file's PostgreSQL, the local Redis when REDIS_URL is set, loopback and free ports, and an events prefix
 * of the test's own. Subgraph URLs are left for the caller to add from where the subgraphs came up.
 */
export function localEnv(dataDir: string, eventsPrefix: string): Record<string, string> {
  const { DATABASE_URL: _db, REDIS_URL: _redis, LISTINGS_URL: _l, ENFORCEMENT_URL: _e, REPAIR_URL: _r, ...composed } = composedEnv('gateway');
  return {
    ...composed,
    HOST: '127.0.0.1',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    DATA_DIR: dataDir,
    LISTINGS_PORT: '0',
    ENFORCEMENT_PORT: '0',
    REPAIR_PORT: '0',
    GATEWAY_PORT: '0',
    EVENTS_PREFIX: eventsPrefix,
  };
}
