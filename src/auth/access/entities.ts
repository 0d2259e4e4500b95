/**
 * Which capability resolving each federation entity needs (src/subgraph/): the capability of the
 * root field that reads the same object on the direct graph (`device`, `uemUser`: readInventory;
 * `harmonyUser`, `person`: readHarmony). The subgraph's reference resolvers check it before reading
 * anything (`ctx.access.requireEntity`), and the permission layer counts on that check when it
 * skips redundant field rules below `_entities` (permissions.ts, `subgraphRuleOf`).
 */
import type { CapabilityName } from '../capabilities.js';

export const ENTITY_CAPABILITIES = {
  Device: 'readInventory',
  UemUser: 'readInventory',
  HarmonyUser: 'readHarmony',
  Person: 'readHarmony',
} as const satisfies Record<string, CapabilityName>;

export type EntityTypeName = keyof typeof ENTITY_CAPABILITIES;
