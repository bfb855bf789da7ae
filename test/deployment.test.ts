import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { parse } from 'yaml';
import { readConfig } from '../lib/platform/config.js';
import { demoDataset, showcaseSubject } from '../lib/demo/dataset.js';
import { killAll, spawnService, type Spawned } from '../lib/platform/process/spawnService.js';
import { graphql } from './kit/system.js';
import { as, fullReader } from './kit/tokens.js';
import { eventually } from './kit/traces.js';

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
}
const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
const dockerfile = readFileSync('Dockerfile', 'utf8');

describe('docker-compose.yml (checked without a Docker engine)', () => {
  const apps = ['gateway', 'listings', 'enforcement', 'repair'];

  test.each(apps)('%s runs an entry point that exists and that the image contains', (name) => {
    const entry = compose.services[name]!.command!.at(-1)!;
    expect(existsSync(entry)).toBe(true);
    expect(dockerfile).toContain(`COPY ${entry.split('/')[0]} `);
  });

  test.each(apps)('%s has an environment the config module accepts', (name) => {
    expect(() => readConfig(compose.services[name]!.environment)).not.toThrow();
  });

  test('the gateway finds each subgraph at the service name and port that subgraph listens on', () => {
    const gateway = readConfig(compose.services.gateway!.environment);
    expect(gateway.gatewayProofSecret).toBeDefined();
    for (const name of ['listings', 'enforcement', 'repair'] as const) {
      const own = readConfig(compose.services[name]!.environment);
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

  test('each subgraph index.ts and the gateway index.ts serve the credit file together, and stop on SIGTERM', async () => {
    const eventsPrefix = `credit-graph:test-${process.pid}-deployment:`;
    const env = {
      DATA_DIR: dataDir,
      LISTINGS_PORT: '0',
      ENFORCEMENT_PORT: '0',
      REPAIR_PORT: '0',
      GATEWAY_PORT: '0',
      GATEWAY_PROOF_SECRET: 'a shared secret of at least thirty-two characters',
      EVENTS_PREFIX: eventsPrefix,
    };
    const urls: Record<string, string> = {};
    for (const name of ['listings', 'enforcement', 'repair']) {
      const p = await spawnService(`subgraphs/${name}/index.ts`, env, new RegExp(`${name} subgraph at (\\S+)`));
      running.push(p);
      urls[`${name.toUpperCase()}_URL`] = p.url;
    }
    const gateway = await spawnService('gateway/index.ts', { ...env, ...urls }, /gateway at (\S+)/);
    running.push(gateway);

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
