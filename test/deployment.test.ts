import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { DEV_PUBLIC_JWKS } from '../gateway/auth/devKey.js';
import { readConfig } from '../lib/platform/config.js';
import { demoDataset, showcaseSubject } from '../lib/demo/dataset.js';
import { killAll, spawnService, type Spawned } from '../lib/platform/process/spawnService.js';
import { compiledSources, sourceOf } from './kit/build.js';
import { compose, composedEnv, dockerfile, localEnv } from './kit/compose.js';
import { graphql } from './kit/system.js';
import { as, fullReader } from './kit/tokens.js';
import { eventually } from './kit/traces.js';

describe('docker-compose.yml (checked without a Docker engine)', () => {
  const apps = ['gateway', 'listings', 'enforcement', 'repair'];

  test.each(apps)('%s runs, with plain node, an entry point that the build compiles and the image contains', (name) => {
    const [node, entry, ...rest] = compose.services[name]!.command!;
    expect([node, rest]).toEqual(['node', []]);
    expect(compiledSources()).toContain(sourceOf(entry!));
    expect(dockerfile).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
  });

  test.each(apps)('%s starts in production mode: its environment, image included, with the mounted secrets, is accepted', (name) => {
    const config = readConfig(composedEnv(name));
    expect(config.production).toBe(true);
    expect(config.gatewayProofSecret).toBe(readFileSync(compose.secrets['gateway-proof-secret']!.file, 'utf8').trim());
    expect(config.maskHashKey).toBe(readFileSync(compose.secrets['mask-hash-key']!.file, 'utf8').trim());
    expect(config.auth.trustDevKey).toBe(false);
  });

  test.each(apps)('%s has a health check on its own readiness, and the gateway starts only when every subgraph is ready', (name) => {
    const port = readConfig(composedEnv(name)).ports[name as 'gateway'];
    expect(compose.services[name]!.healthcheck!.test.join(' ')).toContain(`http://127.0.0.1:${port}/health/ready`);
    if (name !== 'gateway') expect(compose.services.gateway!.depends_on![name]).toEqual({ condition: 'service_healthy' });
    for (const infrastructure of ['postgres', 'redis']) expect(compose.services[name]!.depends_on![infrastructure]).toEqual({ condition: 'service_healthy' });
  });

  test('the development JWKS the compose file mounts is the key `npm run token` signs with', () => {
    expect(JSON.parse(readFileSync(compose.secrets['jwks.json']!.file, 'utf8'))).toEqual(DEV_PUBLIC_JWKS);
  });

  test('the gateway finds each subgraph at the service name and port that subgraph listens on', () => {
    const gateway = readConfig(composedEnv('gateway'));
    expect(gateway.gatewayProofSecret).toBeDefined();
    for (const name of ['listings', 'enforcement', 'repair'] as const) {
      const own = readConfig(composedEnv(name));
      expect(gateway.subgraphUrls[name]).toBe(`http://${name}:${own.ports[name]}/graphql`);
    }
    expect(compose.services.gateway!.ports).toEqual([`${gateway.ports.gateway}:${gateway.ports.gateway}`]);
  });
});

describe('the services as separate processes (the topology of docker-compose.yml)', () => {
  let dataDir: string;
  const running: Spawned[] = [];
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'credit-graph-'));
  });
  afterAll(async () => {
    running.splice(0);
    killAll();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('each subgraph index.ts and the gateway index.ts, started in the composed production environment, serve the credit file together, and stop on SIGTERM', async () => {
    const eventsPrefix = `credit-graph:test-${process.pid}-deployment:`;
    // the composed environment (production, secrets from files), on this machine: PGlite files and the local Redis
    const env = localEnv(dataDir, eventsPrefix);
    const urls: Record<string, string> = {};
    for (const name of ['listings', 'enforcement', 'repair']) {
      const p = await spawnService(`subgraphs/${name}/index.ts`, env, new RegExp(`${name} subgraph at ([^\\s"]+)`));
      running.push(p);
      urls[`${name.toUpperCase()}_URL`] = p.url;
    }
    const gateway = await spawnService('gateway/index.ts', { ...env, ...urls }, /gateway at ([^\s"]+)/);
    running.push(gateway);
    // A2: it states the query log's head at start (and every few minutes), for the operator's log system
    await eventually(
      async () => gateway.output(),
      (out) => out.includes('"msg":"query log head"'),
    );

    const code = showcaseSubject().code;
    const authority = demoDataset().entries.find((e) => e.subjectCode === code)!.authority;
    const res = await graphql<{ subject: { tasks: unknown[]; objections: unknown[]; entries: unknown[] } }>(
      gateway.url,
      'query($c: ID!) { subject(code: $c) { entries { kind } tasks { status } objections { status } } }',
      { c: code },
      await fullReader(authority),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.subject.entries.length).toBeGreaterThan(0);
    expect(res.data!.subject.tasks.length).toBeGreaterThan(0);
    expect(res.data!.subject.objections.length).toBeGreaterThan(0);

    if (process.env.REDIS_URL) {
      // a new entry reaches the other processes through Redis, and once all three have read it the stream drops it
      const writer = await as({ caller: 'department', department: 'STA', scopes: ['listing:write', 'credit:read'] });
      const determined = await graphql<{ determineEntry: { id: string } }>(
        gateway.url,
        'mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id } }',
        { i: { code, kind: 'BLACK', field: 'TAX', facts: '欠税', authority: 'STA', basis: '依据', determinedOn: '2026-11-02' } },
        writer,
      );
      const entryId = determined.data!.determineEntry.id;
      const tasksOf = async () =>
        (
          await graphql<{ subject: { tasks: { entry: { id: string } | null }[] } }>(
            gateway.url,
            'query($c: ID!) { subject(code: $c) { tasks { entry { id } } } }',
            { c: code },
            writer,
          )
        ).data!.subject.tasks;
      expect((await eventually(tasksOf, (ts) => ts.some((t) => t.entry?.id === entryId))).some((t) => t.entry?.id === entryId)).toBe(true);
      const redis = new Redis(process.env.REDIS_URL);
      try {
        const left = await eventually(
          async () => (await redis.xrange(`${eventsPrefix}stream`, '-', '+')).filter(([, fields]) => fields.join().includes(entryId)),
          (messages) => messages.length === 0,
        );
        expect(left).toEqual([]);
      } finally {
        await redis.quit();
      }
    }

    for (const p of running.splice(0).reverse()) expect(await p.stop('SIGTERM')).toBe(0);
  }, 120_000);
});
