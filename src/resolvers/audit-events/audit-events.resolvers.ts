/**
 * The audit trail (ADMIN): `auditEvents(filter, first, after)`, newest first, keyset-paged.
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { badInput } from '../../errors.js';
import { InvalidCursorError } from '../../store/errors.js';

const instant = (value: string | null | undefined, argument: string): Date | undefined => {
  if (value === null || value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw badInput(`"${argument}" is not an ISO 8601 instant.`, { argument });
  return date;
};

const jsonText = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

export const auditEventsResolvers: Resolvers = {
  Query: {
    auditEvents: async (_root, { filter, first, after }, ctx) => {
      const size = first ?? 50;
      if (size < 0 || size > 500) throw badInput('"first" must be from 0 to 500.', { argument: 'first' });
      try {
        const page = await ctx.services.store.audit.listAuditEvents(
          {
            requestId: filter?.requestId ?? undefined,
            principalEmail: filter?.principalEmail ?? undefined,
            operationName: filter?.operationName ?? undefined,
            field: filter?.field ?? undefined,
            fields: filter?.fields ?? undefined,
            targetId: filter?.target ?? undefined,
            outcome: filter?.outcome ?? undefined,
            from: instant(filter?.from, 'filter.from'),
            to: instant(filter?.to, 'filter.to'),
          },
          size,
          after,
        );
        return {
          edges: page.events.map((node, i) => ({ node, cursor: page.cursors[i] ?? '' })),
          nodes: page.events,
          pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
        };
      } catch (err) {
        if (err instanceof InvalidCursorError) throw badInput('"after" is not a cursor of this list.', { argument: 'after' });
        throw err;
      }
    },
  },
  AuditEvent: {
    at: (e) => e.at.toISOString(),
    variables: (e) => jsonText(e.variables),
    details: (e) => jsonText(e.details),
  },
};
