/** How deliveries are retried: exponential backoff with jitter, bounded by attempts and by age. */
export interface RetryPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  readonly maxAttempts: number;
  readonly maxAgeMs: number;
}

/**
 * Wait after failed attempt `attempt` (1, 2, …): a ceiling of base·2^(attempt−1), capped at maxMs, of which a
 * random half is waited on top of the other half ("equal jitter"): instances that failed together spread out,
 * and no wait is shorter than half the ceiling.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** After a failed attempt: when to try again, or null to give up (attempts used up, or the retry would be too late). */
export function nextAttemptAt(
  attempt: number,
  createdAt: Date,
  now: Date,
  policy: RetryPolicy,
  random: () => number = Math.random,
): Date | null {
  if (attempt >= policy.maxAttempts) return null;
  const at = now.getTime() + retryDelayMs(attempt, policy, random);
  return at - createdAt.getTime() > policy.maxAgeMs ? null : new Date(at);
}
