/**
 * Runs a mutation under an idempotency key: claim, then send (docs/design.md §7).
 *
 * 1. The key is claimed in the database before anything reaches an upstream (`claimKey`: a unique
 *    row, IN_FLIGHT, with the input's fingerprint and the principal; the targets PENDING).
 * 2. The owner records each target's progress as it happens: `sending` before the upstream call that
 *    carries a batch, `done` with the per-target results after. A lease, renewed while it works,
 *    says it is alive; every write is fenced by ownership, so a process that lost its claim sends
 *    nothing more.
 * 3. The answer is stored and the claim completed. A retry replays it (`replayed`).
 *
 * Another request with the same key waits (bounded) for the first and answers with its stored
 * result, or IDEMPOTENCY_IN_PROGRESS; the same key with another input is IDEMPOTENCY_KEY_REUSED.
 * A claim whose owner died (interrupted, or its lease ran out) is taken over by the next request
 * with the key, which calls `recover` with what the record says about each target: the mutation's
 * service reconciles with the upstream and never resends a destructive command blindly.
 *
 * Generic over the mutation: a service brings its targets (device ids, …), a fingerprint of its
 * input, and its `execute` / `recover` functions; results are stored as JSON.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { badInput, codedError, ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import type { BoundStore } from '../store/bound.js';
import type { JsonValue } from '../store/database.types.js';
import type { IdempotencyLookup, IdempotencyRecord, IdempotencyTarget } from '../store/idempotency.repository.js';

export interface IdempotencySettings {
  ttlSeconds: number;
  waitMs: number;
  leaseSeconds: number;
}

/**
 * Test-build fault hooks: called at the points where a crash matters (a test makes the process
 * kill itself there). Never set in a deployment.
 */
export interface IdempotencyFaults {
  /** After the claim is committed, before anything else. */
  afterClaim?(key: string): void | Promise<void>;
  /** After an upstream call answered, before its results are recorded. */
  beforeResultsRecorded?(key: string): void | Promise<void>;
}

export interface IdempotentRequest {
  principalEmail: string;
  key: string;
  /** The mutation field. */
  operation: string;
  /** `fingerprint(...)` of the normalised input. */
  fingerprint: string;
  /** Distinct target ids in the order asked. */
  targets: readonly string[];
  /** The request's audit row (the sweep completes it if the request is interrupted). */
  auditEventId?: string;
}

export interface Progress {
  /** Results decided without an upstream call (refused, unknown targets). */
  decided(results: ReadonlyMap<string, JsonValue>): Promise<void>;
  /**
   * Written before the upstream call carrying these targets. Throws ClaimLostError (and the call
   * must not be made) when this process no longer holds the claim.
   */
  sending(targets: readonly string[]): Promise<void>;
  /** The results of an upstream call. */
  done(results: ReadonlyMap<string, JsonValue>): Promise<void>;
}

export interface Interruption {
  /** When the interrupted request claimed the key (reconciliation looks at what happened since). */
  startedAt: Date;
  /** Every target in the order asked: DONE (with its result), UNKNOWN (may have been reached) or NOT_SENT. */
  targets: IdempotencyTarget[];
}

export interface IdempotentHandlers<R extends JsonValue> {
  execute(progress: Progress): Promise<R>;
  /**
   * Builds the answer of an interrupted request. `settled: false` (the upstream could not be asked)
   * keeps the key interrupted so that a later retry reconciles again.
   */
  recover(interruption: Interruption, progress: Progress): Promise<Settlement<R>>;
}

export interface Settlement<R> {
  response: R;
  /** False keeps the key interrupted (reconcile again on the next retry). */
  settled: boolean;
  /** What the reconciliation found, for the audit row. */
  reconciled?: JsonValue;
}

export interface IdempotentResult<R> {
  response: R;
  /** executed: this request ran it. replayed: the stored answer. recovered: an interrupted request, reconciled now. */
  source: 'executed' | 'replayed' | 'recovered';
  /** Recovered only: what the reconciliation found. */
  reconciled?: JsonValue;
}

export class ClaimLostError extends Error {
  override readonly name = 'ClaimLostError';
  constructor() {
    super('This request no longer holds its idempotency key (its lease ran out and another request took it over): nothing more is sent.');
  }
}

export const keyReused = () =>
  codedError(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'This idempotency key was used for another request: use a new key for a new request.', {
    extensions: { argument: 'input.idempotencyKey' },
  });

export const inProgress = (waitedMs: number) =>
  codedError(
    ErrorCode.IDEMPOTENCY_IN_PROGRESS,
    'Another request with this idempotency key is still running: retry with the same key to get its answer.',
    { extensions: { argument: 'input.idempotencyKey', retryAfterSeconds: Math.max(1, Math.ceil(waitedMs / 1000)) } },
  );

const KEY = /^[\x20-\x7e]{1,200}$/;

/** Refuses (BAD_USER_INPUT) a key that is not 1 to 200 printable ASCII characters. */
export function checkIdempotencyKey(key: string, argument: string): void {
  if (!KEY.test(key)) throw badInput('"idempotencyKey" must be 1 to 200 printable ASCII characters.', { argument });
}

/** A name for this process in claims: host, pid and a random part (pids are reused). */
export const newOwnerId = () => `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

export type IdempotencyStore = BoundStore['idempotency'];

export interface IdempotencyService {
  readonly owner: string;
  run<R extends JsonValue>(request: IdempotentRequest, handlers: IdempotentHandlers<R>): Promise<IdempotentResult<R>>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createIdempotency(deps: {
  store: IdempotencyStore;
  logger: Logger;
  settings: IdempotencySettings;
  owner?: string;
  faults?: IdempotencyFaults;
  now?: () => number;
}): IdempotencyService {
  const { store, logger, settings, faults } = deps;
  const owner = deps.owner ?? newOwnerId();
  const now = deps.now ?? Date.now;
  /** Keys this process is working on: local waiters wake as soon as they finish. */
  const working = new Map<string, Promise<unknown>>();
  const localName = (l: IdempotencyLookup) => `${l.principalEmail.toLowerCase()}\n${l.key}`;

  /** Runs `work` as the claim's owner: lease renewal, fenced progress, then complete or give up. */
  async function own<R extends JsonValue>(lookup: IdempotencyLookup, work: (progress: Progress) => Promise<Settlement<R>>): Promise<Settlement<R>> {
    let lost = false;
    let anySent = false;
    let batch = 0;
    const renew = async () => {
      try {
        if (!(await store.renewLease(lookup, owner, settings.leaseSeconds))) lost = true;
      } catch (err) {
        logger.warn({ err, key: lookup.key }, 'idempotency: lease not renewed (retrying)');
      }
    };
    const timer = setInterval(() => void renew(), Math.max(500, (settings.leaseSeconds * 1000) / 3));
    timer.unref();
    const results = (map: ReadonlyMap<string, JsonValue>) => [...map].map(([target, result]) => ({ target, result }));
    const progress: Progress = {
      decided: async (map) => {
        if (!(await store.recordResults(lookup, owner, results(map)))) lost = true;
      },
      sending: async (targets) => {
        if (lost) throw new ClaimLostError();
        anySent = true;
        if (!(await store.markSending(lookup, owner, targets, ++batch))) {
          lost = true;
          throw new ClaimLostError();
        }
      },
      done: async (map) => {
        await faults?.beforeResultsRecorded?.(lookup.key);
        if (!(await store.recordResults(lookup, owner, results(map)))) lost = true;
      },
    };
    let outcome: Settlement<R>;
    try {
      outcome = await work(progress);
    } catch (err) {
      clearInterval(timer);
      // Nothing sent: the key is free again. Something may have been sent: the next request reconciles.
      const gaveUp = anySent ? store.interruptKey(lookup, owner) : store.releaseKey(lookup, owner);
      await gaveUp.catch((e: unknown) => logger.error({ err: e, key: lookup.key }, 'idempotency: claim not released; it is recovered when its lease runs out'));
      throw err;
    }
    clearInterval(timer);
    try {
      const stored = outcome.settled ? await store.completeKey(lookup, owner, outcome.response) : await store.interruptKey(lookup, owner);
      if (!stored || lost) logger.error({ key: lookup.key }, 'idempotency: the claim was taken over before this request finished; its answer was not stored');
    } catch (err) {
      // What was sent is answered all the same; once the lease runs out, the next retry reconciles with the upstream.
      logger.error({ err, key: lookup.key }, 'idempotency: answer not stored (the database did not answer)');
    }
    return outcome;
  }

  async function waitFor(lookup: IdempotencyLookup, ms: number): Promise<void> {
    const local = working.get(localName(lookup));
    await Promise.race([sleep(ms), ...(local ? [local.catch(() => undefined)] : [])]);
  }

  return {
    owner,
    async run<R extends JsonValue>(request: IdempotentRequest, handlers: IdempotentHandlers<R>): Promise<IdempotentResult<R>> {
      const lookup = { principalEmail: request.principalEmail, key: request.key };
      const started = now();
      let pause = 25;
      for (;;) {
        const claim = await store.claimKey({
          ...lookup,
          operation: request.operation,
          requestHash: request.fingerprint,
          targets: request.targets,
          owner,
          leaseSeconds: settings.leaseSeconds,
          ttlSeconds: settings.ttlSeconds,
          auditEventId: request.auditEventId ?? null,
        });
        if (claim.status === 'claimed') {
          const running = (async () => {
            await faults?.afterClaim?.(lookup.key);
            return own(lookup, async (progress) => ({ response: await handlers.execute(progress), settled: true }));
          })();
          return { response: (await track(lookup, running)).response, source: 'executed' };
        }
        const record = claim.record;
        if (record.operation !== request.operation || record.requestHash !== request.fingerprint) throw keyReused();
        if (record.state === 'COMPLETED') return { response: record.response as R, source: 'replayed' };
        const taken = await store.takeOverKey(lookup, owner, settings.leaseSeconds);
        if (taken) {
          logger.warn({ key: request.key, operation: request.operation, interruptedAt: record.updatedAt }, 'idempotency: reconciling an interrupted request');
          const settlement = await track(lookup, recoverAs(taken, lookup, handlers));
          return { response: settlement.response, source: 'recovered', reconciled: settlement.reconciled };
        }
        const waited = now() - started;
        if (waited >= settings.waitMs) throw inProgress(settings.waitMs);
        await waitFor(lookup, Math.min(pause, settings.waitMs - waited));
        pause = Math.min(pause * 2, 500);
      }
    },
  };

  function track<R>(lookup: IdempotencyLookup, running: Promise<R>): Promise<R> {
    const name = localName(lookup);
    working.set(name, running);
    return running.finally(() => {
      if (working.get(name) === running) working.delete(name);
    });
  }

  async function recoverAs<R extends JsonValue>(record: IdempotencyRecord, lookup: IdempotencyLookup, handlers: IdempotentHandlers<R>): Promise<Settlement<R>> {
    const targets = await store.listTargets(lookup);
    return own(lookup, (progress) => handlers.recover({ startedAt: record.createdAt, targets }, progress));
  }
}
