import type { BaseContext } from '@apollo/server';
import { PROOF_HEADER, ProofError, type ProofKeys } from '../auth/gatewayProof.js';
import { ErrorCode, creditError } from '../errors.js';
import { serve, type Listening } from '../http/serve.js';
import { noteCaller } from '../observe/observeRequest.js';
import type { SubgraphService } from './defineSubgraph.js';

export interface StartOptions {
  port: number;
  host?: string;
  /** Load the service's demonstration data when its database is empty. */
  seed?: boolean;
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
  /** Delivers its outbox now. */
  wake(): void;
}

/** Migrates, seeds an empty database if asked, starts Apollo and listens; `close` undoes all but the database. */
export async function startSubgraph<Context extends BaseContext>(service: SubgraphService<Context>, options: StartOptions): Promise<StartedSubgraph> {
  await service.migrate();
  const seeded = options.seed && service.seed ? await service.seed() : false;
  await service.apollo.start();
  let joined = false;
  const listening = await serve(service.apollo, {
    service: service.name,
    ...(options.drainTimeoutMs ? { drainTimeoutMs: options.drainTimeoutMs } : {}),
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    context: async ({ req, body }) => {
      const header = req.headers[PROOF_HEADER];
      const { query, variables } = (body !== null && typeof body === 'object' ? body : {}) as { query?: unknown; variables?: unknown };
      const request = {
        audience: service.name,
        query: typeof query === 'string' ? query : '',
        variables: variables !== null && typeof variables === 'object' ? (variables as Record<string, unknown>) : null,
      };
      try {
        const caller = options.proof.verify(Array.isArray(header) ? header[0] : header, request);
        noteCaller(caller.kind);
        return await service.context(caller);
      } catch (error) {
        if (error instanceof ProofError) throw creditError(ErrorCode.UNAUTHENTICATED, error.message);
        throw error;
      }
    },
    // ready: its database answers, and it has joined the bus (subscribed, relaying) and the bus answers
    ready: async () => {
      await service.db.query('SELECT 1');
      if (!joined) throw new Error('not yet joined the event bus');
      await service.bus?.ping?.();
      return { database: 'ok', bus: service.bus ? 'ok' : 'none' };
    },
  });
  const background = await service.background();
  joined = true;
  // the service answers only once its background work has caught up (e.g. transitions due while it was down)
  await background.tick();
  return {
    ...listening,
    seeded,
    tick: () => background.tick(),
    wake: () => background.wake(),
    // drain first: what is in flight may still need the background work (an outbox relay)
    close: async () => {
      await listening.close();
      await background.stop();
      await service.apollo.stop();
    },
  };
}
