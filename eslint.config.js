// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Folders that stand for someone else's server or the app's base layers (docs/contributing.md, dependency direction). */
const appModules = ['**/config.js', '**/errors.js', '**/server.js', '**/context.js', '**/main.js'];
const driverModules = ['undici', 'kysely', 'pg', '@electric-sql/pglite', 'kysely-pglite-dialect'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'src/__generated__/', '.data/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      'no-process-env': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // The only readers of the environment: the gateway's configuration, the simulators' own
    // configuration (they stand in for someone else's server), tests and the benchmark driver.
    files: ['src/config.ts', 'src/simulators/sim-config.ts', 'test/**', 'bench/**', 'scripts/**', 'codegen.ts'],
    rules: { 'no-process-env': 'off' },
  },
  {
    files: ['src/resolvers/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: driverModules.map((name) => ({ name, message: 'Resolvers reach I/O only through the context.' })),
          patterns: [
            // The store's error classes are the exception: a module without I/O, imported to recognise them with `instanceof`.
            {
              group: ['**/datasources/*', '**/store/*', '!**/store/errors.js'],
              allowTypeImports: true,
              message: 'Resolvers reach datasources and the store through the context.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/datasources/**', 'src/store/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/resolvers/*', '**/auth/*', '**/loaders/*'], message: 'Datasources and the store never depend on resolvers, auth or loaders.' }] },
      ],
    },
  },
  {
    files: ['src/auth/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: driverModules.map((name) => ({ name, message: 'Auth rules do no I/O of their own.' })) },
      ],
    },
  },
  {
    files: ['src/config.ts', 'src/errors.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['./*', '../*'], message: 'config.ts and errors.ts import nothing from the app.' }] }],
    },
  },
  {
    files: ['src/simulators/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...appModules, '**/datasources/*', '**/resolvers/*', '**/auth/*', '**/store/*', '**/loaders/*'],
              message: 'Simulators stand in for someone else\'s server: they import nothing from the gateway.',
            },
          ],
        },
      ],
    },
  },
);
