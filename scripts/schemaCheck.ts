/**
 * `npm run schema:check [-- --subgraphs DIR] [--base FILE] [--operations DIR]`: before a schema change is released,
 * composes the subgraphs' SDL (default schema/), compares the API schema callers would see with the released one
 * (default schema/supergraph.graphql as committed, so it may run after `npm run compose`), prints every change as
 * breaking, dangerous or safe, and validates every client's registered operations (default operations/) against the
 * new API schema.
 *
 * Exit 0: nothing a registered operation uses breaks (other breaking changes are warnings); 1: composition fails, a
 * manifest is invalid, or a registered operation no longer validates; 2: bad flags or an unreadable base.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadOperations, OperationsError, type RegisteredOperation } from '../lib/contracts/operations.js';
import { SCHEMA_DIR, SUPERGRAPH_FILE } from '../schema/files.js';
import { checkSchema, type ClassifiedChange, type Level, type SchemaCheck } from './schemaCheck/check.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const USAGE = 'usage: npm run schema:check [-- --subgraphs DIR] [--base SUPERGRAPH_FILE] [--operations DIR]';
/** A path as short as it can be said: from here when it is below here. */
const shown = (path: string) => {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') ? resolve(path) : rel;
};
const shownDir = (path: string) => `${shown(path)}/`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { subgraphs: { type: 'string' }, base: { type: 'string' }, operations: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`schema:check: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const subgraphsDir = values.subgraphs ?? SCHEMA_DIR;
  const operationsDir = values.operations ?? `${ROOT}operations`;

  let released: { sdl: string; from: string };
  try {
    released = values.base ? { sdl: readFileSync(values.base, 'utf8'), from: shown(values.base) } : releasedSupergraph();
  } catch (error) {
    console.error(`schema:check: cannot read the released supergraph: ${(error as Error).message}`);
    return 2;
  }
  let operations: Map<string, RegisteredOperation[]>;
  try {
    operations = await loadOperations(operationsDir);
  } catch (error) {
    if (!(error instanceof OperationsError)) throw error;
    console.error(`schema check FAILED: the registered operations in ${shownDir(operationsDir)} are not valid:\n  ${error.problems.join('\n  ')}`);
    return 1;
  }

  console.log(`schema check: the subgraphs in ${shownDir(subgraphsDir)} against the released supergraph, ${released.from}`);
  let check: SchemaCheck;
  try {
    check = await checkSchema({ subgraphsDir, releasedSupergraphSdl: released.sdl, operations });
  } catch (error) {
    console.error(`schema:check: cannot compare with ${released.from}: ${(error as Error).message}`);
    return 2;
  }
  if (!check.composed) {
    console.error(`schema check FAILED: the subgraphs do not compose:\n  ${check.errors.join('\n  ')}`);
    return 1;
  }

  const { changes, broken } = check;
  if (changes.length === 0) console.log('\nno changes to the API schema');
  for (const level of ['breaking', 'dangerous', 'safe'] as const) printGroup(level, changes);

  const count = [...operations.values()].reduce((n, ops) => n + ops.length, 0);
  console.log(`\nregistered operations (${shownDir(operationsDir)}): ${count}, of ${operations.size} client${operations.size === 1 ? '' : 's'}`);
  if (broken.length > 0) {
    for (const p of broken) console.log(`  ${p.clientId} ${p.name}: ${p.message}`);
    const failing = new Set(broken.map((p) => `${p.clientId} ${p.name}`)).size;
    console.error(
      `\nschema check FAILED: ${failing} registered operation${failing === 1 ? '' : 's'} would break; keep what they use, or have the clients register new versions first`,
    );
    return 1;
  }
  console.log(`  all ${count} validate against the new API schema`);

  const breaking = changes.filter((c) => c.level === 'breaking');
  if (breaking.length > 0) {
    const reached = breaking.filter((c) => c.usedBy.length > 0).length;
    console.log(
      `\nwarning: ${breaking.length} breaking change${breaking.length === 1 ? '' : 's'}, which no registered operation fails on` +
        (reached > 0
          ? ` (${reached} ${reached === 1 ? 'reaches' : 'reach'} operations through their variables: some values they may send would be refused)`
          : '') +
        '; unregistered callers may still depend on what changed',
    );
  }
  console.log(`\nschema check passed: ${summary(changes)}`);
  return 0;
}

/**
 * The released supergraph: schema/supergraph.graphql as committed (committing it is the release), so that a change
 * already composed into the working tree is still compared with what gateways serve; the file itself outside git.
 */
function releasedSupergraph(): { sdl: string; from: string } {
  const file = fileURLToPath(SUPERGRAPH_FILE);
  const git = (...args: string[]) => spawnSync('git', args, { cwd: dirname(file), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const committed = git('show', `HEAD:./${basename(file)}`);
  if (committed.status !== 0) return { sdl: readFileSync(file, 'utf8'), from: shown(file) };
  const commit = git('rev-parse', '--short', 'HEAD').stdout.trim();
  return { sdl: committed.stdout, from: `${shown(file)} as committed (${commit})` };
}

function printGroup(level: Level, changes: readonly ClassifiedChange[]): void {
  const group = changes.filter((c) => c.level === level);
  if (group.length === 0) return;
  console.log(`\n${level} (${group.length}):`);
  for (const change of group) {
    console.log(`  - ${change.message} [${change.type}${change.path ? ` ${change.path}` : ''}]`);
    if (level === 'breaking') console.log(`      ${change.usedBy.length > 0 ? `used by ${change.usedBy.join(', ')}` : 'used by no registered operation'}`);
  }
}

function summary(changes: readonly ClassifiedChange[]): string {
  if (changes.length === 0) return 'no changes';
  const n = (level: Level) => changes.filter((c) => c.level === level).length;
  return `${changes.length} change${changes.length === 1 ? '' : 's'} (${n('breaking')} breaking, ${n('dangerous')} dangerous, ${n('safe')} safe)`;
}

process.exitCode = await main();
