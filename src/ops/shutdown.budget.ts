/**
 * How the shutdown grace period is shared out. In-flight HTTP requests get half of it, then the event
 * outbox a quarter; the rest is left for closing MongoDB, Redis and an embedded FerretDB. Past the whole
 * period the process exits non-zero rather than hang (the orchestrator would kill it anyway).
 */
export interface ShutdownBudget {
  readonly graceMs: number;
  readonly httpDrainMs: number;
  readonly outboxFlushMs: number;
}

export function shutdownBudget(graceSeconds: number): ShutdownBudget {
  const graceMs = graceSeconds * 1000;
  return { graceMs, httpDrainMs: Math.floor(graceMs / 2), outboxFlushMs: Math.floor(graceMs / 4) };
}
