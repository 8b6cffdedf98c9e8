import type { Clock } from '@talad/core';
import type { Queryable } from '@talad/pg';

export interface ThrottlePolicy {
  windowMs: number;
  /** Failures for one email within the window before sign-in for it is refused. */
  maxFailuresPerAccount: number;
  /**
   * Failures from one client address within the window. Higher than per account: many people can
   * share one address (an office, a mobile carrier's NAT), and one of them mistyping must not lock out all.
   */
  maxFailuresPerAddress: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  windowMs: 15 * 60_000,
  maxFailuresPerAccount: 5,
  maxFailuresPerAddress: 20,
};

export interface SignInAttempt {
  /** Normalised email, whether or not it has an account, so unknown and known emails throttle alike. */
  email: string;
  address: string;
}

export interface SignInThrottle {
  /** Seconds until a sign-in may be tried again, or undefined when it may be tried now. */
  retryAfter(attempt: SignInAttempt): Promise<number | undefined>;
  recordFailure(attempt: SignInAttempt): Promise<void>;
  /** A successful sign-in clears the account's failures (not the address's: one good account must not unlock an address). */
  forgive(attempt: SignInAttempt): Promise<void>;
}

/**
 * Sliding-window counters of failed sign-ins in PostgreSQL, so every instance sees the same counts:
 * after `maxFailuresPerAccount` failures for one email, or `maxFailuresPerAddress` from one address,
 * within the window, sign-in is refused until the oldest of those failures leaves the window.
 * Attempts racing in parallel may each pass the check before any failure is recorded, so the limit
 * can be overshot by the number of concurrent attempts; it still caps guessing at a trickle.
 *
 * @example
 * const wait = await throttle.retryAfter({ email, address });
 * if (wait !== undefined) reply.header('retry-after', String(wait)); // and answer 429
 */
export function createSignInThrottle(
  db: Queryable,
  clock: Clock,
  policy: ThrottlePolicy = DEFAULT_THROTTLE,
): SignInThrottle {
  const subjects = (attempt: SignInAttempt) => [`account:${attempt.email}`, `address:${attempt.address}`];
  return {
    async retryAfter(attempt) {
      const now = clock.now();
      const since = new Date(now.getTime() - policy.windowMs);
      const [account, address] = subjects(attempt);
      // The n-th most recent failure in the window: while it is in the window, the limit is reached.
      const { rows } = await db.query<{ failed_at: Date }>(
        `(SELECT failed_at FROM sign_in_failures WHERE subject = $1 AND failed_at > $3
          ORDER BY failed_at DESC OFFSET $4 LIMIT 1)
         UNION ALL
         (SELECT failed_at FROM sign_in_failures WHERE subject = $2 AND failed_at > $3
          ORDER BY failed_at DESC OFFSET $5 LIMIT 1)`,
        [account, address, since, policy.maxFailuresPerAccount - 1, policy.maxFailuresPerAddress - 1],
      );
      if (rows.length === 0) return undefined;
      const until = Math.max(...rows.map((row) => row.failed_at.getTime() + policy.windowMs));
      return Math.max(1, Math.ceil((until - now.getTime()) / 1000));
    },

    async recordFailure(attempt) {
      const now = clock.now();
      await db.query(
        `WITH expired AS (DELETE FROM sign_in_failures WHERE failed_at <= $2)
         INSERT INTO sign_in_failures (subject, failed_at) SELECT unnest($1::text[]), $3`,
        [subjects(attempt), new Date(now.getTime() - policy.windowMs), now],
      );
    },

    async forgive(attempt) {
      await db.query('DELETE FROM sign_in_failures WHERE subject = $1', [subjects(attempt)[0]]);
    },
  };
}
