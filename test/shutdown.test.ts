/**
 * On SIGTERM a service stops taking requests, finishes those in flight (bounded), then closes its databases: the
 * gateway, as its own process, is stopped while a request waits on a slow subgraph, and the request is answered.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { showcaseSubject } from '../lib/demo/dataset.js';
import { killAll, spawnService } from '../lib/platform/process/spawnService.js';
import { startStubSubgraph, type StubSubgraph } from './kit/stubSubgraph.js';
import { graphql } from './kit/system.js';

const code = showcaseSubject().code;

describe('graceful shutdown', () => {
  let stub: StubSubgraph;
  let dataDir: string;
  beforeAll(async () => {
    stub = await startStubSubgraph(() => ({ json: { data: { subject: { name: '慢速公司', _cg_code: code, _cg_kind: 'ORGANISATION' } } }, delayMs: 1_500 }));
    dataDir = await mkdtemp(join(tmpdir(), 'credit-graph-shutdown-'));
  });
  afterAll(async () => {
    killAll();
    await stub?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('SIGTERM during a request: the request is answered, then the process exits 0', async () => {
    const gateway = await spawnService(
      'gateway/index.ts',
      {
        GATEWAY_PORT: '0',
        DATA_DIR: dataDir,
        GATEWAY_PROOF_SECRET: randomBytes(32).toString('base64url'),
        LISTINGS_URL: stub.url,
        ENFORCEMENT_URL: stub.url,
        REPAIR_URL: stub.url,
      },
      /gateway at (http:\/\/\S+\/graphql)/,
    );
    const answer = graphql<any>(gateway.url, `{ subject(code: "${code}") { name } }`);
    await new Promise((resolve) => setTimeout(resolve, 500)); // the request now waits on the slow subgraph
    expect(stub.received).toHaveLength(1);
    const exited = gateway.stop('SIGTERM');
    const res = await answer;
    expect(res.status).toBe(200);
    expect(res.data.subject.name).toBe('慢速公司');
    expect(await exited).toBe(0);
    expect(gateway.output()).toContain('stopped.');
  }, 60_000);
});
