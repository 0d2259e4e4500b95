/**
 * Query safety wired into Apollo Server (docs/design.md §7): before execution, rate limits per
 * principal and API key (a request's first token is taken at the door: request-tokens.ts; its
 * size and validation work are screened before Apollo: validation-gate.ts), introspection for
 * partners, the static limits of the document, its cost
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
import { explainIntrospectionOff } from './introspection.js';
import { maskErrors } from './masking.js';
import { createOperationFigures, introspectsAtRoot, type OperationFigures } from './operation-figures.js';
import { walkContext } from './walk.js';
import { overloaded } from './memory-budget.js';
import type { RequestTokens } from './request-tokens.js';
import { withoutSuggestions, type ValidationGate } from './validation-gate.js';
import { firstExceeded, tokenRefusal, tooComplex } from './refusal.js';
import type { UpstreamEstimate } from './upstream-budget.js';
import { estimateExtension, upstreamCheck } from './upstream-check.js';
import { copyWith } from '../object-copy.js';

/** The header asking for the cost report in `extensions.cost`. */
export const COST_HEADER = 'x-gateway-cost';

/** For Apollo's `parseOptions`: the parser stops at the token limit. */
export function safetyParseOptions(config: Config): ParseOptions {
  return { maxTokens: config.safety.limits.tokens };
}

interface Report {
  cost: number;
  upstream: UpstreamEstimate;
  /** Estimated peak heap bytes, and the memory budget (when the request holds a lease). */
  memory?: { estimatedBytes: number; budgetBytes: number };
  /** Upstream calls made before execution (resolving the caller). */
  beforeExecution: UpstreamCallCounts;
}

/** Whether "Did you mean …" hints are hidden from this caller (introspection off, and always from partners). */
export const suggestionsHidden = (config: Config) => (ctx: GraphQLContext) => !config.introspection || ctx.principal.kind === 'EXTERNAL_USER';

/**
 * `gates`: the rate-limit tokens, shared with the door (the server takes each request's first
 * there), and the validation gate, which learns here which documents Apollo's validation refused.
 */
export function safetyPlugins(
  config: Config,
  logger: Logger,
  gates: { tokens: RequestTokens; validation: ValidationGate },
): ApolloServerPlugin<GraphQLContext>[] {
  const { limits } = config.safety;
  const { tokens } = gates;
  const hideSuggestions = suggestionsHidden(config);
  const operationFigures = createOperationFigures(limits, config.maxPageSize);
  const plugin: ApolloServerPlugin<GraphQLContext> = {
    async requestDidStart() {
      let report: Report | undefined;
      return {
        async validationDidStart(rc) {
          return async (errors) => {
            for (const error of errors ?? []) explainIntrospectionOff(error);
            if (!errors) return;
            if (rc.queryHash) gates.validation.recordInvalid(rc.queryHash, errors);
            if (!hideSuggestions(rc.contextValue)) return;
            for (const error of errors) error.message = withoutSuggestions(error.message);
          };
        },

        async didResolveOperation(rc) {
          const ctx = rc.contextValue;
          const { document, operation } = rc;
          if (!operation) return;
          const limited = await tokens.forOperation(ctx, rc.request.http?.headers ?? new Map());
          if (limited) throw limited;

          // What the operation and its variables alone decide, worked out once per both (operation-figures.ts).
          const partner = ctx.principal.kind === 'EXTERNAL_USER';
          const noIntrospection = () => forbidden('Introspection is not available to partners.', { reason: 'INTROSPECTION_DISABLED', http: { status: httpStatusOf.FORBIDDEN } });
          let figures: OperationFigures;
          try {
            figures = operationFigures({ schema: rc.schema, document, operation, source: rc.source, variables: rc.request.variables });
          } catch (err) {
            // Variables nested too deep: a partner's introspection is refused as such first, as always.
            if (partner && introspectsAtRoot(walkContext(document, operation, undefined), operation)) throw noIntrospection();
            throw err;
          }
          const { walk } = figures;
          if (partner && figures.introspects) throw noIntrospection();
          if (figures.over) throw tooComplex(figures.over);
          if (figures.introspection) return;

          const cost = figures.cost();
          const { estimate: upstream, figures: budgets } = await upstreamCheck(ctx, rc.schema, walk, operation, config);
          report = { cost, upstream, beforeExecution: { ...ctx.upstreamCalls } };
          const exempt = config.safety.persistedDocumentsExemptFromCost && ctx.document?.source === 'persisted';
          const budget = firstExceeded([...(exempt ? [] : [{ limit: 'cost' as const, max: limits.cost, measured: cost }]), ...budgets]);
          if (budget) throw tooComplex(budget, budget.limit === 'cost' ? undefined : { estimate: estimateExtension(upstream) });

          // Last, once nothing else refuses: the operation's estimated peak heap, reserved until
          // the response is sent (memory-budget.ts).
          const lease = ctx.memory;
          if (lease) {
            const bytes = figures.memoryBytes();
            report.memory = { estimatedBytes: bytes, budgetBytes: lease.limit };
            if (bytes > lease.limit) throw tooComplex({ limit: 'memoryBytes', max: lease.limit, measured: bytes });
            if (!lease.hold(bytes)) throw overloaded('memory');
          }
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
            result.extensions = copyWith(result.extensions ?? {}, { cost: costReport(report, rc.contextValue.upstreamCalls, limits) });
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
    ...(report.memory ? { memory: report.memory } : {}),
  };
}
