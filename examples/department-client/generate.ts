/**
 * `npm run codegen [-- --out DIR --operations DIR]`: regenerates the example department client's typed code.
 * Writes the gateway's API schema (from schema/supergraph.graphql) to schema.graphql, runs GraphQL Code Generator
 * (codegen.ts) into gql/, and writes the example's manifest, operations/example-department.json. `--out` and
 * `--operations` write elsewhere instead (the test compares a fresh run with the checked-in files).
 */
import { generate } from '@graphql-codegen/cli';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { printSchema } from 'graphql';
import { manifestJson } from '../../lib/contracts/operations.js';
import { apiSchemaOf } from '../../schema/apiSchema.js';
import { supergraphSdl } from '../../schema/files.js';
import { codegenConfig, EXAMPLE_DIR } from './codegen.js';
import { CLIENT_ID, exampleOperations } from './operations.js';

const { values } = parseArgs({ options: { out: { type: 'string' }, operations: { type: 'string' } }, strict: true });
const out = values.out ?? EXAMPLE_DIR;
const operationsDir = values.operations ?? fileURLToPath(new URL('../../operations', import.meta.url));

mkdirSync(out, { recursive: true });
const schema = printSchema(apiSchemaOf(supergraphSdl()));
writeFileSync(
  join(out, 'schema.graphql'),
  `# The gateway's API schema, written from schema/supergraph.graphql by \`npm run codegen\`: do not edit.\n\n${schema}\n`,
);
await generate({ ...codegenConfig(out), cwd: out }, true);
mkdirSync(operationsDir, { recursive: true });
writeFileSync(join(operationsDir, `${CLIENT_ID}.json`), manifestJson(exampleOperations()));
console.log(`codegen: wrote ${join(out, 'schema.graphql')}, ${join(out, 'gql')}/ and ${join(operationsDir, `${CLIENT_ID}.json`)}`);
