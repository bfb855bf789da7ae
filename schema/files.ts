import { readFileSync } from 'node:fs';

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

const read = (file: string) => readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');

/**
 * The SDL a subgraph serves: the data owner's schema file (the single source of that subgraph's types),
 * with the project's policy directives, which every subgraph must define to use.
 */
export function subgraphSdl(name: ComposedName): string {
  return `${read(`${name}.graphql`)}\n${read('policy.graphql')}`;
}

/** The checked-in supergraph (kept fresh by `npm run compose`, checked by a test). */
export function supergraphSdl(): string {
  return read('supergraph.graphql');
}
