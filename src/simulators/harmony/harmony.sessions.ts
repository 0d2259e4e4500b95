/**
 * Login sessions and two-factor challenges on the injectable clock. A session lasts
 * `sessionTimeoutInSeconds` from login (not extended by use), after which its token answers
 * INVALID_TOKEN, as the gateway's client expects before it logs in again.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../common/clock.js';

export interface Session {
  /** `1_<uuid>`, the shape of Harmony's `authenticationToken`. */
  token: string;
  userId: string;
  orgId: string;
  expiresAt: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly clock: Clock,
    readonly timeoutSeconds: number,
  ) {}

  create(userId: string, orgId: string): Session {
    this.prune();
    const session = { token: `1_${randomUUID()}`, userId, orgId, expiresAt: this.clock.now() + this.timeoutSeconds * 1000 };
    this.sessions.set(session.token, session);
    return session;
  }

  /** The live session for a token, or undefined when unknown or timed out. */
  get(token: string | undefined): Session | undefined {
    if (!token) return undefined;
    const session = this.sessions.get(token);
    if (!session) return undefined;
    if (this.clock.now() >= session.expiresAt) {
      this.sessions.delete(token);
      return undefined;
    }
    return session;
  }

  /** Ends every session of a user (e.g. when the user is removed from the organization). */
  revokeUser(userId: string): void {
    for (const [token, s] of this.sessions) if (s.userId === userId) this.sessions.delete(token);
  }

  revokeAll(): void {
    this.sessions.clear();
  }

  get size(): number {
    return this.sessions.size;
  }

  private prune(): void {
    const now = this.clock.now();
    for (const [token, s] of this.sessions) if (now >= s.expiresAt) this.sessions.delete(token);
  }
}

/** How long a two-factor code stays valid after the password step. */
const TFA_WINDOW_MS = 10 * 60 * 1000;

/**
 * Pending two-factor logins and the devices that completed one. A device that passed the code
 * once is remembered, so the integration account's re-logins after a session timeout need no
 * human (send the same `deviceId`).
 */
export class TfaChallenges {
  private readonly pending = new Map<string, number>();
  private readonly trusted = new Set<string>();

  constructor(private readonly clock: Clock) {}

  start(email: string): void {
    this.pending.set(email.toLowerCase(), this.clock.now() + TFA_WINDOW_MS);
  }

  /** Consumes the pending challenge; false when there is none or it lapsed. */
  complete(email: string): boolean {
    const key = email.toLowerCase();
    const until = this.pending.get(key);
    if (until === undefined || this.clock.now() >= until) return false;
    this.pending.delete(key);
    return true;
  }

  hasPending(email: string): boolean {
    const until = this.pending.get(email.toLowerCase());
    return until !== undefined && this.clock.now() < until;
  }

  trust(email: string, deviceId: string | undefined): void {
    if (deviceId) this.trusted.add(`${email.toLowerCase()}\n${deviceId}`);
  }

  isTrusted(email: string, deviceId: string | undefined): boolean {
    return deviceId !== undefined && this.trusted.has(`${email.toLowerCase()}\n${deviceId}`);
  }
}
