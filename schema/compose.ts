import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { COMPOSED, DEFAULT_PORTS, IN_PROCESS_URL, subgraphSdl } from './files.js';

export type Composition = { ok: true; supergraphSdl: string } | { ok: false; errors: string[] };

/** Composes the subgraph SDLs (of this folder, or of `dir`) into the supergraph, as `npm run compose` writes it. */
export function composeSupergraph(dir?: string): Composition {
  const result = composeServices(
    COMPOSED.map((name) => ({
      name,
      url: name === 'audit' ? IN_PROCESS_URL : `http://localhost:${DEFAULT_PORTS[name]}/graphql`,
      typeDefs: parse(subgraphSdl(name, dir)),
    })),
  );
  if (result.errors) return { ok: false, errors: result.errors.map((e) => e.message) };
  return { ok: true, supergraphSdl: result.supergraphSdl };
}
