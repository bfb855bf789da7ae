import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { COMPOSED, DEFAULT_PORTS, IN_PROCESS_URL, subgraphSdl } from './files.js';

export type Composition = { ok: true; supergraphSdl: string } | { ok: false; errors: string[] };

/** Composes the subgraph SDLs into the supergraph, as `npm run compose` writes it. */
export function composeSupergraph(): Composition {
  const result = composeServices(
    COMPOSED.map((name) => ({
      name,
      url: name === 'audit' ? IN_PROCESS_URL : `http://localhost:${DEFAULT_PORTS[name]}/graphql`,
      typeDefs: parse(subgraphSdl(name)),
    })),
  );
  if (result.errors) return { ok: false, errors: result.errors.map((e) => e.message) };
  return { ok: true, supergraphSdl: result.supergraphSdl };
}
