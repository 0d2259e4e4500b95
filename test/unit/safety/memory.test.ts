/**
 * The memory estimate (the cost walk with byte weights) on the real schema, and the budget's
 * leases: bodies added as they arrive, the execution estimate held (an export's pages reuse it),
 * everything given back exactly once.
 */
import { parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../../src/bootstrap/schema.js';
import { OBJECT_BYTES, operationMemory, REQUEST_BYTES, VALUE_BYTES } from '../../../src/safety/memory.js';
import { MemoryBudget, memoryBudgetBytes } from '../../../src/safety/memory-budget.js';
import { walkContext } from '../../../src/safety/walk.js';

const schema = buildSchema();

function estimate(query: string, variables?: Record<string, unknown>): number {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  return operationMemory(schema, walkContext(document, operation, variables), operation, 500);
}

describe('memory estimate', () => {
  it('weighs every object and value, multiplied by the page size above it', () => {
    // The connection, then 100 devices of one object and two values each.
    expect(estimate('{ devices(first: 100) { nodes { id friendlyName } } }')).toBe(REQUEST_BYTES + OBJECT_BYTES + 100 * (OBJECT_BYTES + 2 * VALUE_BYTES));
    // Joins count their objects; assumed list sizes (tags: 3) multiply.
    expect(estimate('{ devices(first: 10) { nodes { user { email } tags { name } } } }')).toBe(
      REQUEST_BYTES + OBJECT_BYTES + 10 * (OBJECT_BYTES + (OBJECT_BYTES + VALUE_BYTES) + 3 * (OBJECT_BYTES + VALUE_BYTES)),
    );
  });

  it('follows variables and caps pages at the page size cap', () => {
    const variable = estimate('query ($n: Int) { devices(first: $n) { nodes { id } } }', { n: 20 });
    expect(variable).toBe(estimate('{ devices(first: 20) { nodes { id } } }'));
    expect(estimate('{ devices(first: 5000) { nodes { id } } }')).toBe(estimate('{ devices(first: 500) { nodes { id } } }'));
  });

  it('puts a 500-device page with its joins at or above its measured peak (18.8 MiB)', () => {
    const bytes = estimate(
      '{ devices(first: 500) { totalCount nodes { id uuid serialNumber friendlyName platform model osVersion ownership enrollmentStatus complianceStatus lastSeen imei macAddress phoneNumber compromised lastEnrolledOn lastComplianceCheck user { id userName email firstName lastName } organizationGroup { id name } environment { id name } tags { id name } smartGroups { id name } } } }',
    );
    expect(bytes / 1024 / 1024).toBeGreaterThan(18.8);
    expect(bytes / 1024 / 1024).toBeLessThan(22);
  });
});

describe('memory budget', () => {
  it('adds body bytes and holds the largest execution estimate until released', () => {
    const budget = new MemoryBudget(1_000);
    const a = budget.lease();
    expect(a.add(100)).toBe(true);
    expect(a.hold(500)).toBe(true);
    expect(a.hold(300)).toBe(true); // an export's next, smaller page: nothing more
    expect(budget.reserved).toBe(600);
    const b = budget.lease();
    expect(b.hold(500)).toBe(false);
    expect(b.add(400)).toBe(true);
    expect(b.add(1)).toBe(false);
    expect(budget.reserved).toBe(1_000);
    a.release();
    a.release();
    expect(budget.reserved).toBe(400);
    expect(a.hold(1)).toBe(false); // a released lease takes nothing more
    b.release();
    expect(budget.reserved).toBe(0);
    expect(budget.takePeak()).toBe(1_000);
    expect(budget.takePeak()).toBe(0);
  });

  it('shrinks to the encoded response once the answer is built, never grows, and releases the rest later', () => {
    const budget = new MemoryBudget(1_000);
    const lease = budget.lease();
    expect(lease.add(100)).toBe(true);
    expect(lease.hold(600)).toBe(true);
    expect(budget.reserved).toBe(700);
    lease.settle(50); // the response: 50 bytes
    expect(budget.reserved).toBe(50);
    expect(lease.held).toBe(50);
    // What it gave back serves another request at once.
    expect(budget.lease().hold(900)).toBe(true);
    lease.settle(500); // larger than held: nothing more is taken
    expect(lease.held).toBe(50);
    lease.release();
    expect(budget.reserved).toBe(900);
    lease.settle(10); // released: nothing happens
    expect(budget.reserved).toBe(900);
  });

  it('is the configured size, or a share of the heap left free', () => {
    expect(memoryBudgetBytes(64)).toBe(64 * 1024 * 1024);
    const auto = memoryBudgetBytes(undefined);
    expect(auto).toBeGreaterThanOrEqual(16 * 1024 * 1024);
  });
});
