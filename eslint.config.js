import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

/** Layers of DESIGN.md, enforced: ui -> state -> engine -> protocol, core. */
const appLayers = (names) => ({
  regex: `(^|/)lib/(${names})(/|$)|^\\.\\.?/(\\.\\./)*(${names})(/|$)`,
  message: 'Layer rule (DESIGN.md): this layer may not import that one.',
});
const runtimes = {
  group: ['@tensorflow/*', 'onnxruntime-web', 'onnxruntime-web/*'],
  message: 'Only src/lib/workers touches tfjs/onnxruntime (DESIGN.md).',
};
const indexedDb = {
  group: ['idb', 'idb/*'],
  message: 'Only src/lib/storage opens IndexedDB (DESIGN.md).',
};

export default ts.config(
  { ignores: ['dist/', 'dist-*/', 'node_modules/', 'test-output/', 'dev-dist/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node, __APP_VERSION__: 'readonly' },
    },
    rules: {
      // TypeScript checks names; eslint's no-undef does not understand types (typescript-eslint docs).
      'no-undef': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.svelte'],
    ignores: ['src/lib/workers/**', 'src/lib/storage/**', '**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [runtimes, indexedDb] }] },
  },
  {
    files: ['src/lib/workers/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [indexedDb, appLayers('ui|state|engine|storage|lessons')] },
      ],
    },
  },
  {
    files: ['src/lib/storage/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [runtimes, appLayers('ui|state|engine|workers')] },
      ],
    },
  },
  {
    files: ['src/lib/core/**/*.ts', 'src/lib/protocol/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            runtimes,
            indexedDb,
            appLayers('ui|state|engine|storage|workers|lessons'),
            { group: ['svelte', 'svelte/*'], message: 'core is pure TypeScript (DESIGN.md).' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'document', 'window', 'indexedDB', 'localStorage'],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Pass a seeded rng (src/lib/core/rng.ts).' },
      ],
    },
  },
  {
    files: ['src/lib/engine/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [runtimes, indexedDb, appLayers('ui|state')] },
      ],
    },
  },
  {
    files: ['src/lib/state/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [runtimes, indexedDb, appLayers('ui')] }],
    },
  },
);
