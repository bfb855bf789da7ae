import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOperations, operationId } from '../lib/contracts/operations.js';
import { runScript } from '../test/kit/runScript.js';

/** `npm run operations`: registers a client's operations only when every one validates against the supergraph. */
describe('npm run operations', () => {
  let dir: string;
  const operations = () => join(dir, 'operations');
  const run = (...args: string[]) => runScript('scripts/operations.ts', dir, [...args, '--dir', operations()]);
  const CHECK = 'query BankCheck($c: ID!) {\n  creditCheck(code: $c, scenario: FINANCING) {\n    verdict\n  }\n}';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'operations-cli-'));
    await writeFile(join(dir, 'check.graphql'), `${CHECK}\n`);
    await writeFile(join(dir, 'wrong.graphql'), 'query Wrong { creditCheck(code: "x", scenario: FINANCING) { grade } }\n');
    await writeFile(join(dir, 'changed.graphql'), 'query BankCheck($c: ID!) { creditCheck(code: $c, scenario: FINANCING) { verdict code } }\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('push registers a .graphql operation under its SHA-256; list shows it', async () => {
    const pushed = await run('push', '--client', 'bank-icbc', join(dir, 'check.graphql'));
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    expect(pushed.stdout).toContain(`${operationId(CHECK)}  BankCheck`);
    expect((await loadOperations(operations())).get('bank-icbc')).toEqual([{ id: operationId(CHECK), name: 'BankCheck', type: 'query', body: CHECK }]);
    expect((await run('list')).stdout).toContain(`bank-icbc:\n  ${operationId(CHECK)}  query BankCheck`);
  });

  test('an operation the supergraph does not serve is refused, and nothing is written', async () => {
    const before = await readFile(join(operations(), 'bank-icbc.json'), 'utf8');
    const refused = await run('push', '--client', 'bank-icbc', join(dir, 'wrong.graphql'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/nothing registered:[\s\S]*Wrong: Cannot query field "grade"/);
    expect(await readFile(join(operations(), 'bank-icbc.json'), 'utf8')).toBe(before);
  });

  test('a name already registered with another text is refused (old clients would break) unless replaced', async () => {
    expect((await run('push', '--client', 'bank-icbc', join(dir, 'changed.graphql'))).code).toBe(1);
    expect((await run('push', '--client', 'bank-icbc', '--replace', join(dir, 'changed.graphql'))).code).toBe(0);
    expect((await loadOperations(operations())).get('bank-icbc')!.map((op) => op.body)).toEqual([
      'query BankCheck($c: ID!) { creditCheck(code: $c, scenario: FINANCING) { verdict code } }',
    ]);
  });

  test('bad usage says how to use it', async () => {
    const wrong = await run('push');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('usage: npm run operations');
  });
});
