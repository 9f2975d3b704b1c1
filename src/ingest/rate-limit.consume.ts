import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { RefusalError } from '../domain/refusal.error.js';
import type { RefusalCode } from '../errors/error.codes.js';

export interface RateLimitRefusal {
  readonly code: RefusalCode;
  /** What the device integrator reads, given the seconds until the budget allows another request. */
  readonly message: (retryInSeconds: number) => string;
  readonly field?: string;
}

/** Takes one point of `key`'s budget, or refuses with 429 and `Retry-After`. */
export async function consumeOrRefuse(
  limiter: RateLimiterAbstract,
  key: string,
  refusal: RateLimitRefusal,
): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    throw new RefusalError(429, refusal.code, refusal.message(seconds), refusal.field, {
      'retry-after': String(seconds),
    });
  }
}
