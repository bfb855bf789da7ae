import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { showcaseSubject } from '../lib/demo/dataset.js';
import { SUPERGRAPH_FILE } from '../schema/files.js';
import type { RunningSystem } from '../scripts/system.js';
import { backends } from './kit/backends.js';
import { eventually } from './kit/traces.js';
import { graphql, startTestSystem } from './kit/system.js';
import { as, fullReader } from './kit/tokens.js';

/**
 * The gateway reloads its supergraph without a restart: on a change of the file (or SIGHUP), switching at once, with
 * requests in flight finishing on the schema they started on; a supergraph that does not load, or that breaks a
 * registered operation, is refused and the previous one kept. Under load, nothing is dropped.
 */
const CHECK = 'query BankCheck($c: ID!) { creditCheck(code: $c, scenario: FINANCING) { verdict } }';
const FILE = 'query File($c: ID!) { subject(code: $c) { code name entries { kind status } } }';

describe('reloading the supergraph', () => {
  let dir: string;
  let supergraph: string;
  let original: string;
  let system: RunningSystem;
  const code = showcaseSubject().code;
  const reloads = async (outcome: string) => {
    const text = await (await fetch(system.metricsUrl)).text();
    return Number(new RegExp(`^credit_graph_supergraph_reloads_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'supergraph-'));
    supergraph = join(dir, 'supergraph.graphql');
    await copyFile(fileURLToPath(SUPERGRAPH_FILE), supergraph);
    original = await readFile(supergraph, 'utf8');
    const operations = join(dir, 'operations');
    await import('node:fs/promises').then((fs) => fs.mkdir(operations));
    const id = createHash('sha256').update(CHECK).digest('hex');
    await writeFile(
      join(operations, 'bank-icbc.json'),
      JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id, name: 'BankCheck', type: 'query', body: CHECK }] }),
    );
    system = await startTestSystem(backends[0]!, { env: { SUPERGRAPH_FILE: supergraph, OPERATIONS_DIR: operations } });
  }, 120_000);
  afterAll(async () => {
    await system?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('under load: applied, refused (does not load; breaks a registered operation), applied again — every request answered', async () => {
    const department = await fullReader();
    const bank = await as({ caller: 'bank', clientId: 'bank-icbc', scopes: ['check:run', 'credit:read', 'list:BLACK', 'list:RED'] });
    let stop = false;
    const failures: string[] = [];
    let answered = 0;
    const load = Array.from({ length: 6 }, async (_, i) => {
      while (!stop) {
        const res = i % 2 === 0 ? await graphql(system.gatewayUrl, FILE, { c: code }, department) : await graphql(system.gatewayUrl, CHECK, { c: code }, bank);
        if (res.status !== 200 || res.errors) failures.push(`${res.status} ${JSON.stringify(res.errors)}`);
        answered++;
      }
    });

    // a changed supergraph that loads and keeps every registered operation: applied
    await writeFile(supergraph, `${original}\n# reloaded\n`);
    await system.reload();
    expect(await reloads('applied')).toBe(1);
    // one that does not load: refused, the previous one still serves
    await writeFile(supergraph, 'type Query { broken');
    await system.reload();
    // one that loads but removes a field a bank's registered operation selects: refused
    await writeFile(supergraph, original.replace('  verdict: Verdict!\n', ''));
    await system.reload();
    expect(await reloads('refused')).toBeGreaterThanOrEqual(2); // the file watch may refuse them once more
    // back to the original, by the file watch alone (no call)
    await writeFile(supergraph, original);
    expect(
      await eventually(
        () => reloads('applied'),
        (n) => n === 2,
      ),
    ).toBe(2);

    stop = true;
    await Promise.all(load);
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(20);
    // the field the refused supergraph would have removed is still there
    expect((await graphql(system.gatewayUrl, CHECK, { c: code }, bank)).status).toBe(200);
  });
});
