/**
 * `npm run operations -- push --client <clientId> <file>...`: registers a client's operations. Each file is a manifest in
 * Apollo's persisted-query format (`.json`, as Apollo's and other clients' tools write it) or one named operation
 * (`.graphql`; its text, trailing whitespace removed, is what the client sends or names by its SHA-256). Every operation
 * is checked against the supergraph's API schema first; on any problem nothing is written (exit 1). The client's
 * manifest, `<operations dir>/<clientId>.json`, is replaced in one rename; a running gateway picks it up.
 * `npm run operations -- list [--client <clientId>]` prints what is registered. `--dir` (default OPERATIONS_DIR or
 * `operations`) and `--supergraph` (default SUPERGRAPH_FILE) name other places.
 */
import { readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadOperations, manifestJson, readManifest, registeredOperation, validateAgainst, type RegisteredOperation } from '../lib/contracts/operations.js';
import { readConfig } from '../lib/platform/config.js';
import { apiSchemaOf } from '../schema/apiSchema.js';

const USAGE = `usage: npm run operations -- push --client <clientId> [--replace] <file.json|file.graphql>...
       npm run operations -- list [--client <clientId>]
options: --dir <operations dir> --supergraph <file>`;

async function operationsIn(file: string, clientId: string): Promise<RegisteredOperation[]> {
  const text = await readFile(file, 'utf8');
  if (!file.endsWith('.json')) return [registeredOperation(text.trimEnd())];
  const { operations, problems } = readManifest(JSON.parse(text), clientId);
  if (problems.length > 0) throw new Error(`${file}:\n  ${problems.join('\n  ')}`);
  return operations;
}

async function push(dir: string, supergraphFile: string, clientId: string, files: string[], replace: boolean): Promise<number> {
  if (files.length === 0) throw new Error('name at least one file to register');
  const incoming = (await Promise.all(files.map((f) => operationsIn(f, clientId)))).flat();
  const existing = replace ? [] : ((await loadOperations(dir)).get(clientId) ?? []);
  const byName = new Map(existing.map((op) => [op.name, op]));
  let added = 0;
  for (const op of incoming) {
    const known = byName.get(op.name);
    if (known && known.id !== op.id)
      throw new Error(
        `${clientId} already has an operation named ${op.name} with another text: give the new one a new name (clients still sending the old one keep working), or push with --replace`,
      );
    if (!known) added++;
    byName.set(op.name, op);
  }
  const operations = [...byName.values()];
  // the same checks the gateway and npm run schema:check make: the manifest's own, then the schema's
  const { problems } = readManifest(JSON.parse(manifestJson(operations)), clientId);
  const invalid = validateAgainst(apiSchemaOf(await readFile(supergraphFile, 'utf8')), new Map([[clientId, operations]]));
  const all = [...problems, ...invalid.map((p) => `${p.name}: ${p.message}`)];
  if (all.length > 0) throw new Error(`nothing registered:\n  ${all.join('\n  ')}`);
  await mkdir(dir, { recursive: true });
  const target = join(dir, `${clientId}.json`);
  await writeFile(`${target}.tmp`, manifestJson(operations));
  await rename(`${target}.tmp`, target);
  console.log(`${clientId}: ${added} operation(s) added, ${operations.length} registered in ${target}`);
  for (const op of operations) console.log(`  ${op.id}  ${op.name}`);
  return 0;
}

async function list(dir: string, clientId?: string): Promise<number> {
  for (const [client, operations] of await loadOperations(dir)) {
    if (clientId && client !== clientId) continue;
    console.log(`${client}:`);
    for (const op of operations) console.log(`  ${op.id}  ${op.type} ${op.name}`);
  }
  return 0;
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: { client: { type: 'string' }, replace: { type: 'boolean' }, dir: { type: 'string' }, supergraph: { type: 'string' } },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [command, ...files] = parsed.positionals;
  const config = readConfig();
  const dir = parsed.values.dir ?? config.operationsDir;
  try {
    if (command === 'push' && parsed.values.client)
      return await push(dir, parsed.values.supergraph ?? config.supergraphFile, parsed.values.client, files, parsed.values.replace ?? false);
    if (command === 'list') return await list(dir, parsed.values.client);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
  console.error(USAGE);
  return 2;
}

process.exitCode = await main();
