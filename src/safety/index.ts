/**
 * Query safety wired into Apollo Server (DESIGN.md §7): before execution, rate limits per
 * principal and API key, introspection for partners, the static limits of the document, its cost
 * (IBM `@cost`/`@listSize`) and its upstream-request estimate against the per-operation budget and
 * UEM's remaining quota. Refusals are QUERY_TOO_COMPLEX with the limit and the figures (or
 * RATE_LIMITED with Retry-After). After execution: masked errors get the request id, and with
 * `x-gateway-cost: 1` the response reports the cost and the upstream requests, estimated and actual.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { ParseOptions } from 'graphql';
import type { Config } from '../config.js';
import type { GraphQLContext, UpstreamCallCounts } from '../context.js';
import { forbidden, httpStatusOf } from '../errors.js';
import type { Logger } from '../logger.js';
import { operationCost } from './cost.js';
import { measureOperation, staticFigures } from './limits.js';
import { maskErrors } from './masking.js';
import { checkRateLimits } from './rate-limit.js';
import { TokenLeases } from './token-leases.js';
import { firstExceeded, tokenRefusal, tooComplex } from './refusal.js';
import type { UpstreamEstimate } from './upstream-budget.js';
import { estimateExtension, upstreamCheck } from './upstream-check.js';
import { fieldsOf, walkContext } from './walk.js';

/** The header asking for the cost report in `extensions.cost`. */
export const COST_HEADER = 'x-gateway-cost';

/** For Apollo's `parseOptions`: the parser stops at the token limit. */
export function safetyParseOptions(config: Config): ParseOptions {
  return { maxTokens: config.safety.limits.tokens };
}

interface Report {
  cost: number;
  upstream: UpstreamEstimate;
  /** Upstream calls made before execution (resolving the caller). */
  beforeExecution: UpstreamCallCounts;
}

export function safetyPlugins(config: Config, logger: Logger): ApolloServerPlugin<GraphQLContext>[] {
  const { limits } = config.safety;
  const leases = new TokenLeases();
  const hideSuggestions = (ctx: GraphQLContext) => !config.introspection || ctx.principal.kind === 'EXTERNAL_USER';
  const plugin: ApolloServerPlugin<GraphQLContext> = {
    async requestDidStart() {
      let report: Report | undefined;
      return {
        async validationDidStart(rc) {
          return async (errors) => {
            if (!errors || !hideSuggestions(rc.contextValue)) return;
            for (const error of errors) error.message = error.message.replace(/ ?Did you mean(.+?)\?$/, '');
          };
        },

        async didResolveOperation(rc) {
          const ctx = rc.contextValue;
          const { document, operation } = rc;
          if (!operation) return;
          const limited = await checkRateLimits(ctx, config.safety.rateLimits, rc.request.http?.headers ?? new Map(), leases);
          if (limited) throw limited;

          const walk = walkContext(document, operation, rc.request.variables);
          if (ctx.principal.kind === 'EXTERNAL_USER' && fieldsOf(walk, operation.selectionSet).some((f) => f.name.value.startsWith('__') && f.name.value !== '__typename')) {
            throw forbidden('Introspection is not available to partners.', { reason: 'INTROSPECTION_DISABLED', http: { status: httpStatusOf.FORBIDDEN } });
          }
          const sizes = {
            documentBytes: Buffer.byteLength(rc.source),
            variablesBytes: Buffer.byteLength(JSON.stringify(rc.request.variables ?? {})),
          };
          const over = firstExceeded(staticFigures(limits, measureOperation(document, operation), sizes));
          if (over) throw tooComplex(over);

          const cost = operationCost(rc.schema, walk, operation, config.maxPageSize);
          const { estimate: upstream, figures } = await upstreamCheck(ctx, rc.schema, walk, operation, config);
          report = { cost, upstream, beforeExecution: { ...ctx.upstreamCalls } };
          const exempt = config.safety.persistedDocumentsExemptFromCost && ctx.document?.source === 'persisted';
          const budget = firstExceeded([...(exempt ? [] : [{ limit: 'cost' as const, max: limits.cost, measured: cost }]), ...figures]);
          if (budget) throw tooComplex(budget, budget.limit === 'cost' ? undefined : { estimate: estimateExtension(upstream) });
        },

        async didEncounterErrors(rc) {
          for (const error of rc.errors) {
            const figure = error.extensions.code === 'GRAPHQL_PARSE_FAILED' ? tokenRefusal(error, rc.source) : undefined;
            if (!figure) continue;
            const refusal = tooComplex(figure);
            error.message = refusal.message;
            Object.assign(error.extensions, refusal.extensions);
          }
        },

        async willSendResponse(rc) {
          const body = rc.response.body;
          if (body.kind !== 'single') return;
          const result = body.singleResult;
          const masked = maskErrors(result.errors, rc.errors, rc.contextValue.requestId, { logger, exposeErrors: config.safety.exposeErrors });
          if (masked) result.errors = masked;
          const asked = rc.request.http?.headers.get(COST_HEADER);
          if (report && asked && asked !== '0' && asked !== 'false') {
            result.extensions = { ...result.extensions, cost: costReport(report, rc.contextValue.upstreamCalls, limits) };
          }
        },
      };
    },
  };
  return [plugin];
}

function costReport(report: Report, actual: UpstreamCallCounts, limits: Config['safety']['limits']) {
  return {
    estimated: report.cost,
    limit: limits.cost,
    upstreamRequests: {
      estimated: report.upstream,
      limit: limits.upstreamRequests,
      actual: { ...actual },
      beforeExecution: report.beforeExecution,
    },
  };
}
