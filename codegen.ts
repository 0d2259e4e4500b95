import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Resolver types generated from schema/*.graphql into src/__generated__ (git-ignored; rebuilt by
 * `npm run codegen`, which start, test, build and typecheck run first). Parent types are mapped to
 * the domain models resolvers actually receive, so a resolver can't pretend a field is loaded.
 */
const config: CodegenConfig = {
  schema: 'schema/*.graphql',
  generates: {
    'src/__generated__/resolvers-types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useTypeImports: true,
        useIndexSignature: false,
        contextType: '../context.js#GraphQLContext',
        mapperTypeSuffix: 'Model',
        mappers: {
          Device: '../resolvers/mappers.js#Device',
          UemUser: '../resolvers/mappers.js#UemUser',
          Viewer: '../resolvers/mappers.js#Viewer',
          ViewerEnvironmentAccess: '../resolvers/mappers.js#ViewerEnvironmentAccess',
          Environment: '../resolvers/mappers.js#Environment',
        },
        scalars: { DateTime: 'string', ID: 'string' },
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        maybeValue: 'T | null',
        inputMaybeValue: 'T | null | undefined',
        immutableTypes: true,
      },
    },
  },
};

export default config;
