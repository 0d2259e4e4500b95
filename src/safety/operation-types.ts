/**
 * A validation rule graphql-js 16 lacks (17 adds it as KnownOperationTypesRule): an operation the
 * schema has no root type for is a validation error (400 BAD_USER_INPUT, `reason:
 * GRAPHQL_VALIDATION_FAILED`), not an execution failure masked as INTERNAL_SERVER_ERROR. This
 * schema has no subscription type.
 */
import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';

export function KnownOperationTypesRule(context: ValidationContext): ASTVisitor {
  const schema = context.getSchema();
  return {
    OperationDefinition(node) {
      const root = node.operation === 'query' ? schema.getQueryType() : node.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
      if (!root) {
        context.reportError(new GraphQLError(`The gateway does not support ${node.operation} operations.`, { nodes: node }));
      }
    },
  };
}
