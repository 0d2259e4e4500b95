/**
 * What the upstream plans know of a tenant, for tests of the estimate without a gateway: the demo
 * tenant's sizes by default (2,000 devices, 800 users, 10 tags, 8 smart groups), nothing cached,
 * no snapshot; tests pass other sizes (a 50,000-device tenant) or usable snapshots.
 */
import type { TenantKnowledge } from '../../src/loaders/plans.js';
import type { SnapshotName, TenantSizes } from '../../src/tenant/snapshots.js';

export const DEMO_SIZES: TenantSizes = { devices: 2_000, users: 800, tags: 10, smartGroups: 8, groups: new Map(), source: 'probes' };

export function knowledgeOf(options: { sizes?: Partial<TenantSizes>; snapshots?: readonly SnapshotName[]; cached?: readonly string[] } = {}): TenantKnowledge {
  const sizes = { ...DEMO_SIZES, ...options.sizes };
  const snapshots = new Set(options.snapshots ?? []);
  const cached = new Set(options.cached ?? []);
  return { sizes, snapshot: (name) => snapshots.has(name), cached: (key) => cached.has(key) };
}
