// @ts-check
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import clarion from './.eslint/layer-imports.js';

const root = fileURLToPath(new URL('.', import.meta.url));

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'data/', 'e2e/screenshots/', 'bench/results/', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    plugins: { clarion },
    rules: {
      'clarion/layer-imports': ['error', { root }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // Tools, tests and benchmarks print their results; the hub and the desk log through their loggers.
    files: ['scripts/**', 'bench/**', 'e2e/**', 'bin/**', 'build/**', '.eslint/**', '**/*.mjs', '**/*.test.ts', '**/*.test.tsx'],
    rules: { 'no-console': 'off' },
  },
);
