// Lint: the recommended rules of ESLint and typescript-eslint, nothing stylistic (the compiler
// and reviews cover style); unused code and floating promises are what this catches in practice.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'firmware-bridge/**', '.tap/**', 'coverage/**', 'web/dist/**', 'build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // tap runs subtests in order and awaits them itself; `void t.test(...)` would only be noise.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
  {
    // A JSON answer leaves through reply() (src/http/reply.ts): typed and stripped by the schema
    // that /api/v1/openapi.json describes, so no route can send a body the document does not.
    files: ['src/http/routes/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name='json']", message: 'Answer through reply() with a schema of api-responses.ts, so the answer is the documented one.' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
