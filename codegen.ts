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
          ApiKey: '../store/api-keys.repository.js#ApiKey',
          AuditEvent: '../store/audit.repository.js#AuditEvent',
          PersistedDocument: '../documents/registry.js#ListedDocument',
          Device: '../resolvers/mappers.js#Device',
          UemUser: '../resolvers/mappers.js#UemUser',
          Viewer: '../resolvers/mappers.js#Viewer',
          ViewerEnvironmentAccess: '../resolvers/mappers.js#ViewerEnvironmentAccess',
          Environment: '../resolvers/mappers.js#Environment',
          App: '../resolvers/uem.mappers.js#App',
          DeviceApp: '../resolvers/uem.mappers.js#DeviceApp',
          DeviceCompliance: '../resolvers/uem.mappers.js#DeviceCompliance',
          CompliancePolicy: '../resolvers/uem.mappers.js#CompliancePolicy',
          OrganizationGroup: '../resolvers/uem.mappers.js#OrganizationGroup',
          SmartGroup: '../resolvers/uem.mappers.js#SmartGroup',
          Tag: '../resolvers/uem.mappers.js#Tag',
          UserGroup: '../resolvers/uem.mappers.js#UserGroup',
          HarmonyUser: '../resolvers/harmony/harmony.mappers.js#HarmonyUser',
          Role: '../resolvers/harmony/harmony.mappers.js#Role',
          RoleAssignment: '../resolvers/harmony/harmony.mappers.js#RoleAssignment',
          EnvironmentAccess: '../resolvers/harmony/harmony.mappers.js#EnvironmentAccess',
          RoleEnvironmentAccess: '../resolvers/harmony/harmony.mappers.js#RoleEnvironmentAccess',
          ExternalUser: '../resolvers/harmony/harmony.mappers.js#ExternalUser',
          ApiGroup: '../resolvers/harmony/harmony.mappers.js#ApiGroup',
          Api: '../resolvers/harmony/harmony.mappers.js#Api',
          Person: '../resolvers/harmony/harmony.mappers.js#Person',
          DeviceCommandResult: '../resolvers/device-commands/device-targets.js#TargetResult',
          DeviceCommandRecord: '../datasources/uem/uem.commands.js#UemDeviceCommandRecord',
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
