// Lint rules: typescript-eslint's recommended set; every rule switched off says why.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Unused arguments named with a leading underscore document an interface's shape.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Blob: 'readonly', Buffer: 'readonly' } },
  },
  // Boundaries: the backend and the extension meet only in shared/; production code never reaches test support.
  {
    files: ['shared/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [
      { group: ['**/backend/**', '**/extension/**', '**/test/**', '**/testing/**'], message: 'shared/ is what both sides use: it imports neither side nor test support.' },
      { group: ['hono', 'hono/*', 'webextension-polyfill', 'node:*'], message: 'shared/ runs in the browser and in Node: no server, extension or Node modules.' },
    ] }] },
  },
  {
    files: ['extension/**/*.ts', 'extension/**/*.tsx'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: [
      { group: ['**/backend/**', '**/test/**', '**/testing/**'], message: 'The extension talks to the backend over HTTP only; shared/ holds the contract.' },
      { group: ['hono', 'hono/*'], message: 'The extension does not run the server.' },
    ] }] },
  },
  {
    files: ['backend/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [
      { group: ['**/extension/**', '**/test/**', '**/testing/**'], message: 'The backend never imports the extension or test support; shared/ holds what both use.' },
    ] }] },
  },
  // Type-aware rules where a lost promise or an unhandled case is a real bug: production code of both sides.
  {
    files: ['shared/**/*.ts', 'backend/**/*.ts', 'extension/**/*.ts', 'extension/**/*.tsx'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
);
