// ESLint: JavaScript's and typescript-eslint's recommended rules on every TypeScript file; tsc (strict) does the typing.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // generated code (npm run codegen) is checked by its test, not linted
  { ignores: ['node_modules/', 'data/', 'coverage/', 'dist/', 'docs/', 'examples/department-client/gql/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // `_` marks what is deliberately unused (a destructured field left out, an argument a signature needs)
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // the few `any`s are GraphQL answers in tests and Apollo's own loose types, each at a boundary
      '@typescript-eslint/no-explicit-any': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', process: 'readonly', console: 'readonly' } },
  },
);
