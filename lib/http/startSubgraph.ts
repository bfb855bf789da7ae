import type { ApolloServer, BaseContext } from '@apollo/server';
import type { Caller } from '../auth/caller.js';
import { PROOF_HEADER, ProofError, type ProofKeys } from '../auth/gatewayProof.js';
import { ErrorCode, creditError } from '../errors.js';
import type { Database } from '../db/index.js';
import type { DemoDataset } from '../demo/dataset.js';
import { serve, type Listening } from './serve.js';

export interface Background {
  stop(): Promise<void>;
  tick?(): Promise<unknown>;
}

/** What every subgraph's `server.ts` builds. */
export interface SubgraphService<Context extends BaseContext> {
  apollo: ApolloServer<Context>;
  /** The per-request context for the caller the gateway vouched for. */
  context: (caller: Caller) => Promise<Context>;
  db: Database;
  migrate: () => Promise<string[]>;
  seed: (data: DemoDataset) => Promise<boolean>;
  /** Work the service does by itself while it runs (a scheduler, a relay); stopped on close. */
  background?: () => Promise<Background> | Background;
}

export interface StartOptions {
  /** The subgraph's name: the audience its proofs must name. */
  name: string;
  port: number;
  host?: string;
  /** Demonstration data to load when the database is empty. */
  seed?: DemoDataset;
  /** Verifies the gateway's proof on every request (design.md: subgraphs trust only the gateway). */
  proof: ProofKeys;
  /** On close, how long requests in flight may take to finish (ms). */
  drainTimeoutMs?: number;
}

export interface StartedSubgraph extends Listening {
  /** True when this start loaded the demonstration data (the database was empty). */
  seeded: boolean;
  /** Runs the service's background work once now (tests on a simulated clock). */
  tick(): Promise<unknown>;
}

/** Migrates, seeds an empty database if asked, starts Apollo and listens; `close` undoes all but the database. */
export async function startSubgraph<Context extends BaseContext>(service: SubgraphService<Context>, options: StartOptions): Promise<StartedSubgraph> {
  await service.migrate();
  const seeded = options.seed ? await service.seed(options.seed) : false;
  await service.apollo.start();
  const listening = await serve(service.apollo, {
    ...(options.drainTimeoutMs ? { drainTimeoutMs: options.drainTimeoutMs } : {}),
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    context: async ({ req, body }) => {
      const header = req.headers[PROOF_HEADER];
      const { query, variables } = (body !== null && typeof body === 'object' ? body : {}) as { query?: unknown; variables?: unknown };
      const request = {
        audience: options.name,
        query: typeof query === 'string' ? query : '',
        variables: variables !== null && typeof variables === 'object' ? (variables as Record<string, unknown>) : null,
      };
      try {
        return await service.context(options.proof.verify(Array.isArray(header) ? header[0] : header, request));
      } catch (error) {
        if (error instanceof ProofError) throw creditError(ErrorCode.UNAUTHENTICATED, error.message);
        throw error;
      }
    },
    ready: async () => {
      await service.db.query('SELECT 1');
      return { database: 'ok' };
    },
  });
  const background = await service.background?.();
  // the service answers only once its background work has caught up (e.g. transitions due while it was down)
  await background?.tick?.();
  return {
    ...listening,
    seeded,
    tick: async () => background?.tick?.(),
    // drain first: what is in flight may still need the background work (an outbox relay)
    close: async () => {
      await listening.close();
      await background?.stop();
      await service.apollo.stop();
    },
  };
}
