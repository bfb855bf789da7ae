import { LocalGraphQLDataSource } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { byKey } from '../../lib/platform/graphql/loaders.js';
import { subgraphSdl } from '../../schema/files.js';
import type { QueryLog } from './queryLog.js';
import type { StoredRecord } from './record.js';
import { neverKeepAnswer, type GatewayContext } from '../pipeline/context.js';

const MAX_FIRST = 200;

/**
 * The query log as a subgraph the gateway serves in process (no network hop, no proof needed): it adds
 * `Subject.queryLog`, so a subject reads who queried its file in the same credit-file query. Which rows a
 * caller sees is the gateway's policy, like everything else.
 */
export function queryLogSource(log: QueryLog): LocalGraphQLDataSource {
  // per request (the gateway's context object), per page size
  const loaders = new WeakMap<object, Map<number, ReturnType<typeof loaderFor>>>();
  const schema = buildSubgraphSchema({
    typeDefs: parse(subgraphSdl('audit')),
    resolvers: {
      Subject: {
        queryLog: async ({ code }: { code: string }, { first }: { first: number }, context: unknown) => {
          neverKeepAnswer(context as GatewayContext, 'the query log changes with every read');
          const limit = Math.min(Math.max(first, 1), MAX_FIRST);
          const mine = loaders.get(context as object) ?? new Map<number, ReturnType<typeof loaderFor>>();
          loaders.set(context as object, mine);
          let loader = mine.get(limit);
          if (!loader) mine.set(limit, (loader = loaderFor(log, limit)));
          return (await loader.load(code))?.records ?? [];
        },
      },
      QueryLogRecord: {
        seq: (r: StoredRecord) => String(r.seq),
        at: (r: StoredRecord) => r.at.toISOString(),
      },
    },
  });
  return new LocalGraphQLDataSource(schema);
}

/** One statement for every subject of a request (DataLoader), however many credit files it reads. */
function loaderFor(log: QueryLog, limit: number) {
  return byKey(
    async (codes: readonly string[]) => [...(await log.forSubjects(codes, limit))].map(([code, records]) => ({ code, records })),
    (entry) => entry.code,
  );
}
