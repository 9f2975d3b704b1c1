import { Counter, Gauge, type Registry } from 'prom-client';
import { ALERT_KINDS } from '../domain/alert.routes.js';

export const ATTEMPT_OUTCOMES = ['success', 'http_error', 'network_error', 'aborted'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/**
 * Alert metrics in the app's registry. Counters are this instance's (sum them over instances); the pending gauge
 * is read from the outbox at scrape time and is the same on every instance (take the max).
 */
export class AlertMetrics {
  private readonly delivered: Counter<'kind'>;
  private readonly failed: Counter<'kind'>;
  private readonly attempts: Counter<'outcome'>;
  private readonly escalations: Counter;

  constructor(registry: Registry, pendingCount: () => Promise<number>) {
    const registers = [registry];
    this.delivered = new Counter({
      name: 'aoc_alerts_delivered_total',
      help: 'Webhook deliveries a receiver took (2xx), by alert kind.',
      labelNames: ['kind'],
      registers,
    });
    this.failed = new Counter({
      name: 'aoc_alerts_failed_total',
      help: 'Webhook deliveries given up after ALERT_MAX_ATTEMPTS or ALERT_MAX_AGE_SECONDS, by alert kind.',
      labelNames: ['kind'],
      registers,
    });
    this.attempts = new Counter({
      name: 'aoc_alert_delivery_attempts_total',
      help: 'Webhook requests sent, by outcome: success, http_error (non-2xx), network_error (incl. timeout), aborted (shutdown).',
      labelNames: ['outcome'],
      registers,
    });
    this.escalations = new Counter({
      name: 'aoc_crash_escalations_total',
      help: 'Crashes this instance escalated (not acknowledged within CRASH_ESCALATE_AFTER_SECONDS).',
      registers,
    });
    for (const kind of ALERT_KINDS) {
      this.delivered.labels(kind).inc(0);
      this.failed.labels(kind).inc(0);
    }
    for (const outcome of ATTEMPT_OUTCOMES) this.attempts.labels(outcome).inc(0);
    new Gauge({
      name: 'aoc_alerts_pending',
      help: 'Webhook deliveries waiting in the outbox (all instances: the same value on each).',
      registers,
      async collect() {
        try {
          this.set(await pendingCount());
        } catch {
          // MongoDB away: keep the last value; aoc_mongodb_up says why.
        }
      },
    });
  }

  countDelivered(kind: string): void {
    this.delivered.labels(kind).inc();
  }

  countFailed(kind: string): void {
    this.failed.labels(kind).inc();
  }

  countAttempt(outcome: AttemptOutcome): void {
    this.attempts.labels(outcome).inc();
  }

  countEscalation(): void {
    this.escalations.inc();
  }
}
