import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'data', 'artifacts', 'coverage', 'src/server/db/migrations'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // A file says one thing: source files stay under 400 lines, tests (which spell out their cases) under 500.
  { files: ['src/**/*.{ts,tsx}', 'bench/**/*.ts', 'e2e/**/*.ts'], rules: { 'max-lines': ['error', { max: 400 }] } },
  { files: ['**/*.test.ts', '**/*.test.tsx', '**/*.fixture.ts'], rules: { 'max-lines': ['error', { max: 500 }] } },
  {
    // The web shares the vocabulary through src/contract and src/standard, which stand alone: none imports the server.
    files: ['src/web/**/*.{ts,tsx}', 'src/contract/**/*.ts', 'src/standard/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**', '**/server'], message: 'Shared types and rules live in src/contract or src/standard, not src/server.' }] }],
    },
  },
  {
    // A cast that restates the type a value already has hides the next real change of that type.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', 'src/server/test/**'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-unnecessary-type-assertion': 'error' },
  },
  {
    files: ['src/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
);
