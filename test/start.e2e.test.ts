import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoDataset, showcaseSubject as showcase } from '../lib/demo/dataset.js';
import { killAll, npmStart } from './support/spawnService.js';
import { graphql } from './support/system.js';
import { addMonths } from '../lib/dates.js';
import { as, fullReader } from './support/tokens.js';

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
  afterAll(async () => {
    killAll();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('starts all four services seeded, serves a complete credit file, stops cleanly on Ctrl-C, and keeps its data', async () => {
    const first = await npmStart({ DATA_DIR: dataDir });
    const code = showcase().code;
    // the determining authority of its entries, with every scope and a stated purpose, sees the whole file
    const authority = demoDataset().entries.find((e) => e.subjectCode === code)!.authority;
    const res = await graphql<{ subject: Record<string, unknown[]> }>(first.url, FILE, { code }, await fullReader(authority));
    expect(res.errors).toBeUndefined();
    expect(res.data!.subject).toMatchObject({ code, kind: 'ORGANISATION', legalRepresentative: { name: '赵建国' } });
    // the public view of the same file: A3 masks
    const anonymous = await graphql<{ subject: { legalRepresentative: { name: string; idNumber: string } } }>(
      first.url, 'query($c: ID!) { subject(code: $c) { legalRepresentative { name idNumber } } }', { c: code },
    );
    expect(anonymous.data!.subject.legalRepresentative).toEqual({ name: '赵*', idNumber: expect.stringMatching(/^320583\*{8}123X$/) });
    for (const list of ['entries', 'tasks', 'objections', 'repairs']) expect(res.data!.subject[list]!.length).toBeGreaterThan(0);
    // the subject itself sees what it still lacks for repair (R7, R8): its black entry is serious, a year must pass
    const own = await graphql<{ subject: { repairOutlook: unknown[] } }>(
      first.url, 'query($c: ID!) { subject(code: $c) { repairOutlook { severity earliestOn lacks } } }', { c: code },
      await as({ caller: 'subject', subject: code, scopes: ['repair:apply'] }),
    );
    const determinedOn = demoDataset().entries.find((e) => e.subjectCode === code)!.determinedOn;
    expect(own.data!.subject.repairOutlook).toEqual([
      { severity: 'SERIOUS', earliestOn: addMonths(determinedOn, 12), lacks: ['TOO_EARLY', 'COMMITMENT', 'TRAINING', 'CREDIT_REPORT'] },
    ]);
    expect(first.output()).toContain(`subject(code: \\"${code}\\")`);
    expect(first.output()).toMatch(/demonstration data loaded \(\d{3} subjects\)/);

    expect(await first.stop()).toBe(0);
    expect(first.output()).toContain('stopped.');

    // a second start finds its data (including what was written through it) and seeds nothing twice
    const second = await npmStart({ DATA_DIR: dataDir });
    const again = await graphql<{ subject: unknown }>(second.url, FILE, { code }, await fullReader(authority));
    expect(again.data!.subject).toEqual(res.data!.subject);
    expect(second.output()).not.toContain('demonstration data loaded');
    expect(await second.stop()).toBe(0);
  }, 120_000);

  test('a bad configuration stops it at once with every problem named', async () => {
    await expect(npmStart({ DATA_DIR: dataDir, GATEWAY_PORT: 'x', SEED: 'perhaps' })).rejects.toThrow(/GATEWAY_PORT[\s\S]*SEED/);
  });
});
