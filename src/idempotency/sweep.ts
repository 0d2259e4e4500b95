/**
 * Recovery of claims whose owner died (issue 16). At start-up, and then every lease period, claims
 * still IN_FLIGHT whose lease has run out are marked INTERRUPTED: their targets being sent become
 * UNKNOWN, the others NOT_SENT. The owner of an embedded database (one process at a time) marks
 * every IN_FLIGHT claim at start-up: none can have a live owner.
 *
 * The audit row the interrupted request left PENDING is completed here, so the trail shows what
 * the record knows (how many targets were done, may have been reached, were never sent); the next
 * request with the key reconciles with the upstream and writes its own row. Expired keys are
 * purged on the same schedule.
 */
import type { Logger } from '../logger.js';
import type { AuditCompletion } from '../store/audit.repository.js';
import type { RecoveredClaim } from '../store/idempotency.repository.js';
import type { IdempotencyStore } from './idempotent-run.js';

export interface SweepOptions {
  store: Pick<IdempotencyStore, 'interruptAbandoned' | 'deleteExpiredKeys'>;
  completeAuditEvent(id: string, completion: AuditCompletion): Promise<boolean>;
  logger: Logger;
  leaseSeconds: number;
  /** Every IN_FLIGHT claim is abandoned at start-up (this process owns the database alone). */
  soleOwner: boolean;
}

export interface SweepJob {
  /** One pass; `all` marks every IN_FLIGHT claim. Resolves with the claims it marked. */
  runOnce(all?: boolean): Promise<RecoveredClaim[]>;
  stop(): void;
}

export function auditCompletionOf(claim: RecoveredClaim): AuditCompletion {
  const counts = claim.targetCounts;
  const reached = (counts.DONE ?? 0) + (counts.UNKNOWN ?? 0) > 0;
  return {
    outcome: reached ? 'PARTIAL' : 'FAILURE',
    errorCodes: (counts.UNKNOWN ?? 0) > 0 ? ['OUTCOME_UNKNOWN'] : ['NOT_SENT'],
    details: {
      interrupted: true,
      note: 'The gateway stopped before this request finished. The next request with its idempotency key reconciles it with the upstream.',
      targets: { done: counts.DONE ?? 0, mayHaveBeenReached: counts.UNKNOWN ?? 0, notSent: counts.NOT_SENT ?? 0 },
    },
  };
}

export async function startIdempotencySweep(options: SweepOptions): Promise<SweepJob> {
  const { store, logger } = options;
  let running: Promise<RecoveredClaim[]> | undefined;
  const runOnce = (all = false): Promise<RecoveredClaim[]> => {
    running ??= (async () => {
      try {
        const recovered = await store.interruptAbandoned({ all });
        for (const claim of recovered) {
          logger.warn(
            { key: claim.key, operation: claim.operation, principalEmail: claim.principalEmail, targets: claim.targetCounts, auditId: claim.auditEventId },
            'idempotency: a request was interrupted (its process stopped); the next request with its key reconciles it',
          );
          if (claim.auditEventId) await options.completeAuditEvent(claim.auditEventId, auditCompletionOf(claim));
        }
        const purged = await store.deleteExpiredKeys();
        if (purged > 0) logger.info({ purged }, 'idempotency: expired keys deleted');
        return recovered;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  await runOnce(options.soleOwner);
  const timer = setInterval(
    () => void runOnce().catch((err: unknown) => logger.error({ err }, 'idempotency sweep failed; will retry')),
    options.leaseSeconds * 1000,
  );
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
