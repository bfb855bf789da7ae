/**
 * Every query the README prints works, for the caller it names: each curl command runs as written (its token made by
 * the command beside it), against a system on a free port instead of localhost:4000.
 */
import { readFileSync } from 'node:fs';
import type { RunningSystem } from '../scripts/system.js';
import { backends } from './kit/backends.js';
import { printedCommands, runPrinted, unkeptPromises } from './kit/printedCommands.js';
import { graphql, startTestSystem } from './kit/system.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const commands = printedCommands(README);
const graphqlBlocks = [...README.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe("the README's examples", () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startTestSystem(backends[0]!);
  }, 120_000);
  afterAll(() => system?.stop());

  test('the README prints commands and queries to try', () => {
    expect(commands.length).toBeGreaterThanOrEqual(5);
    expect(graphqlBlocks.length).toBeGreaterThanOrEqual(1);
  });

  test.each(commands.map((c, i) => [i + 1, c.curl.slice(0, 90), c] as const))(
    'command %i (%s…) answers what it promises',
    async (_, __, command) => {
      const answer = await runPrinted(command, [['localhost:4000', new URL(system.gatewayUrl).host]]);
      expect(unkeptPromises(command, answer)).toEqual([]);
    },
    60_000,
  );

  test.each(graphqlBlocks.map((q, i) => [i + 1, q]))('query %i, pasted into a GraphQL client with no token, answers the public view', async (_, query) => {
    const res = await graphql<Record<string, unknown>>(system.gatewayUrl, query);
    expect(res.errors).toBeUndefined();
    for (const value of Object.values(res.data ?? {})) expect(value).not.toBeNull();
  });
});
