import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { demoDataset } from '../lib/demo/dataset.js';
import { addMonths } from '../lib/domain/dates.js';
import { killAll, spawnService, type Spawned } from '../lib/platform/process/spawnService.js';
import { graphql } from './kit/system.js';
import { startTcpProxy, type TcpProxy } from './kit/tcpProxy.js';
import { as } from './kit/tokens.js';
import { eventually } from './kit/traces.js';

/**
 * rule R7 / L8(b) across a crash: the repair service commits an approval, dies before its event leaves the outbox,
 * and on restart delivers it; listings exits the entry exactly once. Listings, repair and the gateway run as separate
 * processes (PGlite files, the Redis event stream), repair reaching Redis through a link the test can cut.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const today = new Date().toISOString().slice(0, 10); // the services run on the real clock

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a repair approval survives a crash of the repair service between commit and delivery', () => {
  let dataDir: string;
  let proxy: TcpProxy;
  const prefix = `credit-graph:test-${process.pid}-crash:`;
  afterAll(async () => {
    killAll();
    await proxy?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  test('R7, L8(b): on restart the approval is delivered and listings exits the entry once, with one focus entry', async () => {
    // a seeded application waiting for the authority, on a black entry in force (no working-day deadline is computed
    // on the way, so the test does not depend on which years the holiday calendar holds)
    const data = demoDataset();
    const seeded = new Map(data.entries.map((e) => [e.id, e]));
    const application = data.repairs.find((r) => {
      const e = seeded.get(r.entryId)!;
      return r.status === 'APPLIED' && e.kind === 'BLACK' && e.status === 'EFFECTIVE' && (e.validUntil ?? '9999') > addMonths(today, 1);
    })!;
    expect(application).toBeDefined();
    const entry = seeded.get(application.entryId)!;

    dataDir = await mkdtemp(join(tmpdir(), 'credit-graph-crash-'));
    const redis = new URL(REDIS_URL);
    proxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
    const repairPort = String(await freePort());
    const env = {
      DATA_DIR: dataDir,
      LISTINGS_PORT: '0',
      GATEWAY_PORT: '0',
      REPAIR_PORT: repairPort,
      REDIS_URL,
      EVENTS_PREFIX: prefix,
      GATEWAY_PROOF_SECRET: 'a shared secret of at least thirty-two characters',
    };
    const repairEnv = { ...env, REDIS_URL: `redis://127.0.0.1:${proxy.port}` };
    const startRepair = () => spawnService('subgraphs/repair/index.ts', repairEnv, /repair subgraph at ([^\s"]+)/);
    const listings = await spawnService('subgraphs/listings/index.ts', env, /listings subgraph at ([^\s"]+)/);
    let repair: Spawned = await startRepair();
    const gateway = await spawnService(
      'gateway/index.ts',
      { ...env, LISTINGS_URL: listings.url, REPAIR_URL: repair.url, ENFORCEMENT_URL: 'http://127.0.0.1:9/graphql' },
      /gateway at ([^\s"]+)/,
    );

    const authority = await as({ caller: 'department', department: entry.authority, scopes: ['credit:read', 'repair:decide'] });
    const call = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => {
      const res = await graphql<any>(gateway.url, query, variables, headers);
      expect(res.errors).toBeUndefined();
      return res.data;
    };

    // the link to Redis goes; the approval commits in repair's database, its event stays in the outbox
    proxy.cut();
    const approved = await call(
      'mutation($i: DecideRepairInput!) { decideRepair(input: $i) { status } }',
      { i: { id: application.id, approve: true, reason: '准予提前退出' } },
      authority,
    );
    expect(approved.decideRepair.status).toBe('APPROVED');
    const FILE = 'query($c: ID!) { subject(code: $c) { entries { id kind status exit { way } history { action } } } }';
    const entries = async () => (await call(FILE, { c: entry.subjectCode }, authority)).subject.entries as any[];
    await new Promise((r) => setTimeout(r, 1500)); // several relay polls: nothing can reach listings
    expect((await entries()).find((e) => e.id === entry.id).status).toBe('EFFECTIVE');

    // killed before delivery; restarted with the link back
    await repair.stop('SIGKILL');
    proxy.restore();
    repair = await startRepair();

    const after = await eventually(entries, (es) => es.find((e) => e.id === entry.id)?.status === 'EXITED', 20_000);
    const exited = after.find((e) => e.id === entry.id);
    expect(exited.exit).toEqual({ way: 'REPAIRED' });
    expect(exited.history.filter((h: any) => h.action === 'EXITED')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1000)); // a redelivery, were there one, would have arrived
    const settled = await entries();
    const focusBefore = data.entries.filter((e) => e.subjectCode === entry.subjectCode && e.kind === 'FOCUS').length;
    expect(settled.filter((e) => e.kind === 'FOCUS')).toHaveLength(focusBefore + 1);
    expect(settled.find((e) => e.id === entry.id).history.filter((h: any) => h.action === 'EXITED')).toHaveLength(1);
    // the decision itself survived the crash
    const repairs = (await call('query($c: ID!) { subject(code: $c) { repairs { id status } } }', { c: entry.subjectCode }, authority)).subject.repairs;
    expect(repairs).toContainEqual({ id: application.id, status: 'APPROVED' });

    for (const p of [gateway, repair, listings]) expect(await p.stop('SIGTERM')).toBe(0);
  }, 180_000);
});
