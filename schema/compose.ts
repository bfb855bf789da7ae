import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { DEFAULT_PORTS, SUBGRAPHS, subgraphSdl } from './files.js';

export type Composition = { ok: true; supergraphSdl: string } | { ok: false; errors: string[] };

/** Composes the three subgraph SDLs into the supergraph, as `npm run compose` writes it. */
export function composeSupergraph(): Composition {
  const result = composeServices(
    SUBGRAPHS.map((name) => ({
      name,
      url: `http://localhost:${DEFAULT_PORTS[name]}/graphql`,
      typeDefs: parse(subgraphSdl(name)),
    })),
  );
  if (result.errors) return { ok: false, errors: result.errors.map((e) => e.message) };
  return { ok: true, supergraphSdl: result.supergraphSdl };
}
