import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The subgraph services, each its own server. */
export const SUBGRAPHS = ['listings', 'enforcement', 'repair'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];

/** Everything composed into the supergraph: the services, and the query log the gateway serves in process. */
export const COMPOSED = [...SUBGRAPHS, 'audit'] as const;
export type ComposedName = (typeof COMPOSED)[number];
export const IN_PROCESS_URL = 'in-process://gateway/audit';

/** Default addresses written into the supergraph; the gateway overrides them from its config. */
export const DEFAULT_PORTS: Record<SubgraphName, number> = { listings: 4001, enforcement: 4002, repair: 4003 };

export const SUPERGRAPH_FILE = new URL('./supergraph.graphql', import.meta.url);

/** This folder: where the SDL files are read from unless another folder (a proposed change's copy) is named. */
export const SCHEMA_DIR = fileURLToPath(new URL('.', import.meta.url));

const read = (file: string, dir = SCHEMA_DIR) => readFileSync(join(dir, file), 'utf8');

/**
 * The SDL a subgraph serves: the data owner's schema file (the single source of that subgraph's types),
 * with the project's policy directives, which every subgraph must define to use.
 */
export function subgraphSdl(name: ComposedName, dir = SCHEMA_DIR): string {
  return `${read(`${name}.graphql`, dir)}\n${read('policy.graphql', dir)}`;
}

/** The checked-in supergraph (kept fresh by `npm run compose`, checked by a test). */
export function supergraphSdl(): string {
  return read('supergraph.graphql');
}
