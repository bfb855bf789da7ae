import { randomBytes } from 'node:crypto';
import { createListingsServer } from '../../../subgraphs/listings/server.js';
import { proofKeys } from '../auth/gatewayProof.js';
import { openDatabase, type Database } from '../db/index.js';
import { openEventBus, type EventBus } from '../events/index.js';
import { SUBGRAPHS } from '../../../schema/files.js';
import { startSubgraph, type StartedSubgraph } from './startSubgraph.js';

const redisUrl = process.env.REDIS_URL;

/** A subgraph is ready when its database answers and it has joined an event bus that answers (Redis, across processes). */
(redisUrl ? describe : describe.skip)("a subgraph's readiness", () => {
  let db: Database;
  let bus: EventBus;
  let started: StartedSubgraph;
  beforeAll(async () => {
    db = await openDatabase({ name: 'listings' });
    bus = await openEventBus(redisUrl, { prefix: `credit-graph:ready-${randomBytes(4).toString('hex')}:`, groups: SUBGRAPHS });
    started = await startSubgraph(createListingsServer({ db, bus }), { port: 0, proof: proofKeys(randomBytes(32).toString('base64url')) });
  });
  afterAll(async () => {
    await started?.close();
    await db?.close();
  });

  const ready = async () => {
    const res = await fetch(started.url.replace(/\/graphql$/, '/health/ready'));
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  test('ready with its database answering and its bus joined and reachable', async () => {
    expect(await ready()).toEqual({ status: 200, body: { status: 'ok', database: 'ok', bus: 'ok' } });
  });

  test('not ready once its bus cannot be reached; alive all the same', async () => {
    await bus.close();
    expect((await ready()).status).toBe(503);
    expect((await fetch(started.url.replace(/\/graphql$/, '/health/live'))).status).toBe(200);
  });
});
