/**
 * GraphQL Code Generator's configuration for the example: typed documents (client preset) from documents.graphql,
 * against the API schema the gateway serves (schema.graphql, written from the supergraph by `npm run codegen`).
 * `out` is where the schema was written and the code goes: this folder, or a scratch folder to compare with it.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';
import { preset as clientPreset } from '@graphql-codegen/client-preset';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const EXAMPLE_DIR = fileURLToPath(new URL('.', import.meta.url));

export function codegenConfig(out = EXAMPLE_DIR): CodegenConfig {
  return {
    schema: join(out, 'schema.graphql'),
    documents: join(EXAMPLE_DIR, 'documents.graphql'),
    // the project is ESM on NodeNext with verbatimModuleSyntax: `.js` in relative imports, `import type` for types
    emitLegacyCommonJSImports: false,
    generates: {
      [`${join(out, 'gql')}/`]: {
        // the preset itself rather than its name: found wherever codegen runs from
        preset: clientPreset,
        presetConfig: { fragmentMasking: false },
        config: { useTypeImports: true, enumsAsTypes: true },
      },
    },
    silent: true,
  };
}

export default codegenConfig();
