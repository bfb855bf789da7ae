import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { showcaseSubject } from '../lib/demo/dataset.js';
import { npmStart } from './support/spawnService.js';
import { graphql } from './support/system.js';

const FILE = /* GraphQL */ `
  query File($code: ID!) {
    subject(code: $code) {
      code kind name region legalRepresentative { name }
      entries { kind status field } tasks { __typename } objections { __typename } repairs { __typename }
    }
  }`;

describe('npm start (embedded defaults, as a person runs it)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'credit-graph-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  test('starts all four services seeded, serves a complete credit file, stops cleanly on Ctrl-C, and keeps its data', async () => {
    const first = await npmStart({ DATA_DIR: dataDir });
    const code = showcaseSubject().code;
    const res = await graphql<{ subject: Record<string, unknown[]> }>(first.url, FILE, { code });
    expect(res.errors).toBeUndefined();
    expect(res.data!.subject).toMatchObject({ code, kind: 'ORGANISATION', legalRepresentative: { name: '赵建国' } });
    for (const list of ['entries', 'tasks', 'objections', 'repairs']) expect(res.data!.subject[list]!.length).toBeGreaterThan(0);
    expect(first.output()).toContain(`subject(code: \\"${code}\\")`);
    expect(first.output()).toMatch(/demonstration data loaded \(\d{3} subjects\)/);

    expect(await first.stop()).toBe(0);
    expect(first.output()).toContain('stopped.');

    // a second start finds its data (including what was written through it) and seeds nothing twice
    const second = await npmStart({ DATA_DIR: dataDir });
    const again = await graphql<{ subject: unknown }>(second.url, FILE, { code });
    expect(again.data!.subject).toEqual(res.data!.subject);
    expect(second.output()).not.toContain('demonstration data loaded');
    expect(await second.stop()).toBe(0);
  }, 120_000);

  test('a bad configuration stops it at once with every problem named', async () => {
    await expect(npmStart({ DATA_DIR: dataDir, GATEWAY_PORT: 'x', SEED: 'perhaps' })).rejects.toThrow(/GATEWAY_PORT[\s\S]*SEED/);
  });
});
