/**
 * When a crashed service is started again. Doubling delays keep a service that dies at once from
 * spinning the CPU and flooding the log, while one that crashed once comes back quickly.
 */
export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
  /** A process that stayed up this long is considered healthy again: the next crash starts from attempt 1. */
  readonly resetAfterMs: number;
}

export const restartPolicy: BackoffPolicy = { initialMs: 500, maxMs: 30_000, resetAfterMs: 30_000 };

/** Delay before restart number `attempt` (1-based): 0.5s, 1s, 2s, 4s … capped. */
export function restartDelay(attempt: number, policy: BackoffPolicy = restartPolicy): number {
  const exponent = Math.max(0, attempt - 1);
  // Capping the exponent first keeps 2 ** exponent finite however long a service keeps crashing.
  return Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(exponent, 30));
}

/** The attempt number of the restart that follows a crash after `uptimeMs` of running. */
export function nextAttempt(previousAttempt: number, uptimeMs: number, policy: BackoffPolicy = restartPolicy): number {
  return uptimeMs >= policy.resetAfterMs ? 1 : previousAttempt + 1;
}
