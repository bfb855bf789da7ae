import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openDatabase, type Database } from '../lib/platform/db/index.js';
import { QueryLog } from './audit/queryLog.js';
import { gatewayReadiness } from './readiness.js';

/** A stand-in subgraph whose /health/ready answers `status`. */
async function subgraphAnswering(status: number): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => res.writeHead(status).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}

describe("the gateway's readiness", () => {
  let migrated: Database;
  let bare: Database;
  const servers: Server[] = [];
  let ready: string;
  let notReady: string;
  beforeAll(async () => {
    migrated = await openDatabase({ name: 'gateway' });
    await new QueryLog(migrated).migrate();
    bare = await openDatabase({ name: 'gateway' });
    const up = await subgraphAnswering(200);
    const down = await subgraphAnswering(503);
    servers.push(up.server, down.server);
    [ready, notReady] = [up.url, down.url];
  });
  afterAll(async () => {
    for (const s of servers) s.close();
    await migrated?.close();
    await bare?.close();
  });

  test('ready when the query log can be written and every subgraph is ready', async () => {
    const check = gatewayReadiness(migrated, { listings: ready, enforcement: ready, repair: ready });
    expect(await check()).toEqual({ queryLog: 'ok', subgraphs: { listings: 'ok', enforcement: 'ok', repair: 'ok' } });
  });

  test('not ready while a subgraph is not, or cannot be reached: it names the subgraph, never its address', async () => {
    const check = gatewayReadiness(migrated, { listings: ready, enforcement: notReady, repair: 'http://127.0.0.1:1/graphql' });
    const error = await check().then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).toBe('not ready: enforcement, repair');
    expect(error?.message).not.toContain('127.0.0.1');
  });

  test('not ready when the query log cannot be written (no log, no data)', async () => {
    await expect(gatewayReadiness(bare, { listings: ready, enforcement: ready, repair: ready })()).rejects.toThrow('the query log cannot be written');
  });
});
