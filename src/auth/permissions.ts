/**
 * graphql-shield rules generated from the capability table. Every type reachable in the schema
 * is listed here, by type or by field; anything not listed falls back to deny. One rule per
 * capability, cached per request (`contextual`: the rules read only the principal).
 */
import { allow, rule, shield } from 'graphql-shield';
import type { IMiddlewareGenerator } from 'graphql-middleware';
import { forbidden } from '../errors.js';
import { capabilities, holds, type CapabilityName } from './capabilities.js';
import type { GraphQLContext } from '../context.js';

const ruleFor = (capability: CapabilityName) =>
  rule(`has_${capability}`, { cache: 'contextual' })((_parent, _args, ctx: GraphQLContext) =>
    holds(ctx.principal, capability)
      ? true
      : forbidden(`This needs the capability "${capability}": ${capabilities[capability].who}.`, { capability }),
  );

export const isAuthenticated = ruleFor('viewer');
export const hasReadInventory = ruleFor('readInventory');

/**
 * The rule map. Types whose every field needs the same capability are listed as a type rule;
 * the structural types of connections need only an authenticated caller, because reaching them
 * already passed the rule of the root field.
 */
export const ruleTree = {
  Query: {
    viewer: isAuthenticated,
    devices: hasReadInventory,
  },
  Viewer: isAuthenticated,
  ViewerEnvironmentAccess: isAuthenticated,
  Environment: isAuthenticated,
  PageInfo: isAuthenticated,
  DeviceConnection: hasReadInventory,
  DeviceEdge: hasReadInventory,
  Device: hasReadInventory,
  UemUser: hasReadInventory,
};

export function permissions(): IMiddlewareGenerator<unknown, GraphQLContext, unknown> {
  return shield(ruleTree, {
    fallbackRule: rule('deny_unlisted', { cache: 'contextual' })(() =>
      forbidden('This field is not open to any caller.'),
    ),
    allowExternalErrors: true,
    debug: false,
  }) as unknown as IMiddlewareGenerator<unknown, GraphQLContext, unknown>;
}

export { allow };
