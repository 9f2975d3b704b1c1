export const FIRST_RETRY_MS = 500;
export const LONGEST_RETRY_MS = 10_000;

/**
 * Wait before reconnection attempt `attempt` (0 for the first): doubling from half a second up to ten seconds,
 * with up to a quarter more at random so that a room of wall displays does not reconnect in one burst.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(base * (1 + random() * 0.25));
}
