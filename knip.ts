/**
 * knip: unused files, exports and dependencies (`npm run knip`, part of `npm run lint`). Entry
 * points are what runs: the gateway (src/main.ts, from package.json), the CLIs, the simulators,
 * the benchmark's commands, the build scripts, the tests (the vitest plugin reads
 * vitest.config.ts), the IDE bundle's entry and the codegen configuration.
 *
 * Run with `--no-gitignore` (package.json): the generated resolver types (src/__generated__/,
 * git-ignored) import the mapper types that codegen.ts names, and only count as users of them when
 * knip reads them.
 */
import type { KnipConfig } from 'knip';

const config: KnipConfig = {
  entry: [
    'src/cli/{audit,doctor,documents,keys}.ts',
    'bench/{run,timings,memory,slow-bodies,shield-overhead,start-time,young-gen}.ts',
    'scripts/*.{ts,mjs}',
    // Started as a child process by the crash-recovery tests (`startGatewayProcess({ entry })`).
    'test/integration/operations/crash-gateway.ts',
    // Run by test/integration/ci/closing-line.test.ts through their own vitest configuration.
    'test/fixtures/**/*.ts',
    // Bundled by scripts/build-ide.mjs (esbuild's entry points).
    'ide/main.tsx',
  ],
  project: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{ts,mjs}', 'ide/**/*.{ts,tsx}', '*.{ts,js}'],
  // An export its own module uses is part of that module, not dead code.
  ignoreExportsUsedInFile: true,
  ignoreDependencies: [
    // Named by string in the test that checks the frontend manifests (`preset: 'client'`).
    '@graphql-codegen/client-preset',
    // Imported by module name at run time by the supergraph test, which loads the transport by name.
    '@graphql-hive/gateway-runtime',
    '@graphql-mesh/transport-http',
  ],
  ignoreIssues: {
    // kysely calls `up` and `down` through the namespace objects of src/store/migrations/list.ts.
    'src/store/migrations/0*.ts': ['exports'],
  },
};

export default config;
