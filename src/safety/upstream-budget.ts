/**
 * An estimate, before execution, of the upstream requests an operation will cause: the plans the
 * loaders will run for this tenant (src/loaders/plans.ts), fed with the demand of each field
 * (upstream-fields.ts) and, for root lists whose plan depends on the caller's row scope and the
 * filter, the resolvers' own planner. The walk carries `n`, how many parent objects a field is
 * resolved for, from the page sizes (`first`, capped) and the lists' assumed sizes. Keyed
 * relations (users by id, devices of users, …) are planned once for the operation's total demand,
 * as the loaders batch them.
 */
import type { FieldNode, GraphQLSchema, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import type { UpstreamCallCounts } from '../context.js';
import * as plans from '../loaders/plans.js';
import { UEM_REFERENCE_KEYS } from '../loaders/uem-reference.loaders.js';
import { entityGroups, type EntityGroup } from './entities.js';
import { uemWriteEstimate } from './uem-write-estimate.js';
import { FIELD_DEMAND, harmonyDemand, type Demand, type KeyedRelation } from './upstream-fields.js';
import { isList as isListType, resolvedFields, type NamedType, type ResolvedField, type WalkContext } from './walk.js';
import { copyWith } from '../object-copy.js';

const DEFAULT_PAGE = 50;
const DEFAULT_LIST = 10;

export interface UpstreamEstimate extends UpstreamCallCounts {
  total: number;
  /** The plans behind the figures, costly first (left out where estimates are added up). */
  plans?: plans.Plan[];
}

export interface EstimateInputs {
  knowledge: plans.TenantKnowledge;
  /** Plans of root fields made by the resolvers' planner before execution. */
  rootPlans?: ReadonlyMap<FieldNode, plans.Plan>;
}

const KEYED: Record<KeyedRelation, (k: plans.TenantKnowledge, n: number) => plans.Plan> = {
  deviceById: (_k, n) => plans.devicesById(n),
  deviceBySerial: (_k, n) => plans.devicesBySerial(n),
  userById: plans.userReads,
  userByEmail: plans.usersByEmail,
  devicesOfUsers: plans.devicesOfUsers,
};

export function estimateUpstream(schema: GraphQLSchema, ctx: WalkContext, operation: OperationDefinitionNode, maxPageSize: number, inputs: EstimateInputs): UpstreamEstimate {
  const root = schema.getRootType(operation.operation) as NamedType | null | undefined;
  const counts = { uem: 0, harmony: 0 };
  const keyed = new Map<KeyedRelation, number>();
  const askedFor = new WeakMap<object, Set<KeyedRelation>>();
  const once = new Map<string, plans.Plan>();
  const each: plans.Plan[] = [];
  /** Devices named by the device write being walked: its `results` has one item per device. */
  let writeTargets = DEFAULT_LIST;
  const demand: Demand = {
    keys: (relation, n, per) => {
      if (per) {
        const asked = askedFor.get(per) ?? new Set<KeyedRelation>();
        askedFor.set(per, asked);
        if (asked.has(relation)) return;
        asked.add(relation);
      }
      keyed.set(relation, (keyed.get(relation) ?? 0) + n);
    },
    once: (key, plan) => (once.has(key) ? undefined : once.set(key, plan), undefined),
    each: (plan) => each.push(plan),
    knowledge: inputs.knowledge,
    rootPlan: (node) => inputs.rootPlans?.get(node),
    page: (f) => Math.min(typeof f.args.first === 'number' ? f.args.first : DEFAULT_PAGE, maxPageSize),
  };

  /** The demand of one field resolved for `n` parents; returns how many objects its selections see. */
  function field(parent: string, f: ResolvedField, n: number, parents: SelectionSetNode): number {
    const key = `${parent}.${f.def.name}`;
    // A device write's results: one item per device it names.
    if (key === 'SendDeviceCommandPayload.results' || key === 'TagDevicesPayload.results') return n * writeTargets;
    const own = FIELD_DEMAND[key];
    if (own) return own(demand, f, n, parents);
    // A connection's edges and nodes, and an edge's node: the page is already counted in `n`.
    if (parent.endsWith('Connection') || parent.endsWith('Edge')) return n;
    harmonyDemand(demand, f.type.name, f.def.name);
    if (f.type.name.endsWith('Connection')) return n * demand.page(f);
    return n * (isListType(f.def.type) ? DEFAULT_LIST : 1);
  }

  function mutation(f: ResolvedField) {
    const uemWrite = uemWriteEstimate(f.def.name, f.args);
    if (uemWrite !== undefined) {
      each.push({ relation: f.def.name, strategy: 'per-key', calls: uemWrite });
    } else if (f.type.name === 'UpdateDeviceTagsPayload') {
      // The tag list and every member list (tags before), the devices in batches, one bulk call per tag and batch.
      const ids = (f.args.deviceIds ?? []) as unknown[];
      const tags = ((f.args.add ?? []) as unknown[]).length + ((f.args.remove ?? []) as unknown[]).length;
      demand.keys('deviceById', ids.length);
      demand.once('membership:tags', plans.membership(inputs.knowledge, 'tags', UEM_REFERENCE_KEYS.tags, undefined));
      each.push({ relation: f.def.name, strategy: 'batch', calls: Math.max(1, tags) * Math.max(1, Math.ceil(ids.length / 500)) });
    } else if (f.type.name === 'CreateTagPayload') {
      demand.once(UEM_REFERENCE_KEYS.organizationGroups, plans.cachedList(inputs.knowledge, 'organizationGroups', UEM_REFERENCE_KEYS.organizationGroups));
      // A search by name, addtag, the new tag read back.
      each.push({ relation: f.def.name, strategy: 'per-key', calls: 3 });
    } else if (f.type.name === 'SendDeviceCommandPayload' || f.type.name === 'TagDevicesPayload') {
      const ids = ((f.args.input as { deviceIds?: unknown[] } | undefined)?.deviceIds ?? f.args.deviceIds ?? []) as unknown[];
      demand.keys('deviceById', ids.length);
      each.push({ relation: f.def.name, strategy: 'batch', calls: Math.max(1, Math.ceil(ids.length / 500)) });
      writeTargets = ids.length;
    } else if (f.type.name !== 'CreateApiKeyPayload' && f.type.name !== 'RevokeApiKeyPayload') {
      each.push({ relation: f.def.name, strategy: 'per-key', calls: 1, upstream: 'harmony' });
    }
  }

  /** A subgraph's `_entities`: each group read as the direct graph's root field for that type reads it. */
  function entities(group: EntityGroup) {
    const n = group.count;
    switch (group.type.name) {
      case 'Device':
        demand.keys('deviceById', group.keys.id ?? 0);
        demand.keys('deviceBySerial', group.keys.serialNumber ?? 0);
        break;
      case 'UemUser':
        demand.keys('userById', n);
        break;
      case 'Person':
        demand.keys('userByEmail', n);
        harmonyDemand(demand, 'Person', 'person');
        break;
      default:
        harmonyDemand(demand, group.type.name, '_entities');
    }
    selections(group.type, group.selectionSet, n, false);
  }

  function selections(parent: NamedType, set: SelectionSetNode, n: number, top: boolean) {
    for (const f of resolvedFields(ctx, parent, set)) {
      const groups = entityGroups(schema, parent, f);
      if (groups) {
        groups.forEach(entities);
        continue;
      }
      if (top && operation.operation === 'mutation') mutation(f);
      const m = top && operation.operation === 'mutation' ? 1 : field(parent.name, f, n, set);
      if (f.node.selectionSet && m > 0) selections(f.type, f.node.selectionSet, m, false);
    }
  }

  if (root) selections(root, operation.selectionSet, 1, true);
  const planned = [...each, ...once.values(), ...[...keyed].map(([relation, n]) => KEYED[relation](inputs.knowledge, n))];
  for (const p of planned) counts[p.upstream ?? 'uem'] += Number.isFinite(p.calls) ? p.calls : Number.MAX_SAFE_INTEGER;
  return copyWith(counts, { total: counts.uem + counts.harmony, plans: summarize(planned) });
}

/** One line per relation and strategy, costly first (what a refusal and the cost report show). */
function summarize(planned: readonly plans.Plan[]): plans.Plan[] {
  const byKey = new Map<string, plans.Plan>();
  for (const p of planned) {
    if (p.strategy === 'none') continue;
    const key = `${p.upstream ?? 'uem'}:${p.relation}:${p.strategy}`;
    const seen = byKey.get(key);
    if (seen) byKey.set(key, { ...seen, calls: seen.calls + p.calls, ...(seen.keys !== undefined || p.keys !== undefined ? { keys: (seen.keys ?? 0) + (p.keys ?? 0) } : {}) });
    else byKey.set(key, { ...p });
  }
  return [...byKey.values()].sort((a, b) => b.calls - a.calls || a.relation.localeCompare(b.relation));
}
