import type { Logger } from 'pino';
import type { AlertOutboxDoc } from '../models/alert-outbox.model.js';
import type { RawCollection } from '../models/models.js';
import type { AlertClaims } from './alert.claims.js';
import type { AlertMetrics } from './alert.metrics.js';
import type { KeyedTarget } from './alert.targets.js';
import { nextAttemptAt, type RetryPolicy } from './retry.schedule.js';
import { sendWebhook, type WebhookResult } from './webhook.sender.js';

export interface DeliveryOptions {
  readonly secret: string;
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
  readonly retry: RetryPolicy;
}

/**
 * Deliveries in flight at once for each webhook. Each webhook has its own: a receiver that hangs until the timeout
 * holds up only its own deliveries, never another's (a crash alert for a working pager behind a dead endpoint).
 */
const PER_WEBHOOK = 8;
const EPOCH = new Date(0);

/** Pending, due, unleased, and not attempted under this number or a later one by another instance. */
function isStillDue(doc: AlertOutboxDoc | null, attempt: number, now: Date): doc is AlertOutboxDoc {
  return doc?.state === 'pending' && doc.attempts < attempt && doc.next_attempt_at <= now && doc.lease_until <= now;
}

/**
 * Sends due deliveries from the outbox, on every instance. Each attempt is claimed first (AlertClaims), so an
 * alert goes out once however many instances poll; a 2xx marks it delivered, anything else schedules a retry
 * with backoff, until the attempts or the age run out (then it is failed and counted). At-least-once: an instance
 * that stops between the receiver's 2xx and its own record sends again later, with the same Idempotency-Key.
 */
export class AlertDelivery {
  private readonly targets: ReadonlyMap<string, KeyedTarget>;
  private readonly leaseMs: number;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private wakeRequested = false;
  private stoppedPolling = false;
  /** Outbox ids being attempted by this instance, by webhook key. */
  private readonly inFlight = new Map<string, Set<string>>();
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly outbox: RawCollection<AlertOutboxDoc>,
    private readonly claims: AlertClaims,
    targets: readonly KeyedTarget[],
    private readonly options: DeliveryOptions,
    private readonly metrics: AlertMetrics,
    private readonly logger: Logger,
  ) {
    this.targets = new Map(targets.map((target) => [target.key, target]));
    // Longer than any request can take, so a live instance never loses its claim while it waits for an answer.
    this.leaseMs = options.timeoutMs * 2 + 10_000;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Looks for due deliveries now (an alert was just enqueued here) instead of at the next poll. */
  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  /**
   * Stops polling and waits up to `drainMs` for the requests in flight; those still unanswered are aborted and
   * handed back (due at once), so another instance or the next start sends them again, with the same key.
   */
  async stop(drainMs: number): Promise<void> {
    this.stoppedPolling = true;
    this.wakeUp?.();
    // The loop ends after its current pass; then the requests in flight are waited for.
    const loop = (this.loop ?? Promise.resolve()).then(() => this.sent());
    this.loop = null;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), drainMs);
    });
    if ((await Promise.race([loop.then(() => 'drained' as const), timedOut])) === 'timeout') {
      this.stopping.abort();
      await loop;
    }
    clearTimeout(timer);
  }

  private async run(): Promise<void> {
    while (!this.stoppedPolling) {
      try {
        await this.pass();
      } catch (error) {
        this.logger.warn(
          { err: (error as Error).message },
          'alert delivery pass failed; trying again at the next poll',
        );
      }
      await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    if (this.wakeRequested || this.stoppedPolling) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wakeUp?.(), this.options.pollIntervalMs);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        this.wakeRequested = false;
        resolve();
      };
    });
  }

  /** Resolves once every attempt this instance started has ended. */
  private async sent(): Promise<void> {
    while (this.sending.size > 0) await Promise.allSettled([...this.sending]);
  }

  /**
   * One look at the outbox for each webhook with a free slot: claims and starts what is due, oldest first, without
   * waiting for the answers (an attempt that ends wakes the loop for the next); the loop then sleeps until woken
   * or the next poll.
   */
  private async pass(): Promise<void> {
    const now = new Date();
    for (const key of this.targets.keys()) {
      const busy = this.inFlightOf(key);
      const free = PER_WEBHOOK - busy.size;
      if (free <= 0 || this.stoppedPolling) continue;
      const due = await this.outbox
        .find(
          { state: 'pending', target: key, next_attempt_at: { $lte: now }, lease_until: { $lte: now } },
          { sort: { next_attempt_at: 1 }, limit: free + busy.size },
        )
        .toArray();
      for (const doc of due.filter((candidate) => !busy.has(candidate._id)).slice(0, free)) this.send(key, doc);
    }
  }

  private inFlightOf(key: string): Set<string> {
    let ids = this.inFlight.get(key);
    if (!ids) {
      ids = new Set();
      this.inFlight.set(key, ids);
    }
    return ids;
  }

  private send(key: string, doc: AlertOutboxDoc): void {
    const busy = this.inFlightOf(key);
    busy.add(doc._id);
    const sending: Promise<void> = this.attempt(doc)
      .then(
        (attempted) => {
          // Its slot is free: more of this webhook's deliveries may be due.
          if (attempted) this.wake();
        },
        (error: unknown) => {
          this.logger.warn({ err: (error as Error).message, alertId: doc.alert_id }, 'alert delivery attempt failed');
        },
      )
      .finally(() => {
        busy.delete(doc._id);
        this.sending.delete(sending);
      });
    this.sending.add(sending);
  }

  /** Claims and makes one attempt; false when another instance holds it or it is no longer due. */
  private async attempt(candidate: AlertOutboxDoc): Promise<boolean> {
    const target = this.targets.get(candidate.target);
    if (!target || this.stoppedPolling) return false;
    const attempt = await this.claims.acquire(candidate, this.leaseMs);
    if (attempt === null) return false;
    // The candidate may be stale: another instance may have delivered or rescheduled it meanwhile.
    const doc = await this.outbox.findOne({ _id: candidate._id });
    const now = new Date();
    if (!isStillDue(doc, attempt, now)) {
      await this.claims.release(candidate._id, attempt);
      return false;
    }
    await this.outbox.updateOne(
      { _id: doc._id },
      { $set: { attempts: attempt, lease_until: new Date(now.getTime() + this.leaseMs) } },
    );
    const result = await sendWebhook({
      url: target.url,
      body: doc.body,
      idempotencyKey: doc.alert_id,
      kind: doc.kind,
      attempt,
      secret: this.options.secret,
      timeoutMs: this.options.timeoutMs,
      signal: this.stopping.signal,
    });
    this.metrics.countAttempt(result.outcome);
    await this.record(doc, target, attempt, result);
    return true;
  }

  private async record(doc: AlertOutboxDoc, target: KeyedTarget, attempt: number, result: WebhookResult) {
    const now = new Date();
    const context = { alertId: doc.alert_id, kind: doc.kind, webhook: target.destination, attempt };
    if (result.outcome === 'success') {
      await this.outbox.updateOne(
        { _id: doc._id },
        {
          $set: {
            state: 'delivered',
            delivered_at: now,
            lease_until: EPOCH,
            last_status: result.status,
            last_error: null,
          },
        },
      );
      this.metrics.countDelivered(doc.kind);
      this.logger.debug(context, 'alert delivered');
      await this.claims.forget(doc._id);
      return;
    }
    const failure = { last_status: result.status, last_error: result.error, lease_until: EPOCH };
    if (result.outcome === 'aborted') {
      await this.outbox.updateOne({ _id: doc._id }, { $set: { ...failure, next_attempt_at: now } });
      return;
    }
    const retryAt = nextAttemptAt(attempt, doc.created_at, now, this.options.retry);
    if (retryAt) {
      await this.outbox.updateOne({ _id: doc._id }, { $set: { ...failure, next_attempt_at: retryAt } });
      this.logger.info({ ...context, error: result.error, retryAt }, 'alert delivery failed; will retry');
      return;
    }
    await this.outbox.updateOne({ _id: doc._id }, { $set: { ...failure, state: 'failed', failed_at: now } });
    this.metrics.countFailed(doc.kind);
    this.logger.error(
      { ...context, error: result.error },
      'alert delivery given up (ALERT_MAX_ATTEMPTS / ALERT_MAX_AGE_SECONDS)',
    );
    await this.claims.forget(doc._id);
  }
}
