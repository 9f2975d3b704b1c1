import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AppConfig } from '../config/env.config.js';
import { describeKinds } from '../domain/alert.routes.js';
import type { Models } from '../models/models.js';
import { AlertClaims } from './alert.claims.js';
import { AlertDelivery } from './alert.delivery.js';
import { AlertMetrics } from './alert.metrics.js';
import { AlertOutbox } from './alert.outbox.js';
import { AlertRetention } from './alert.retention.js';
import { keyedTargets } from './alert.targets.js';
import { CrashEscalation } from './crash.escalation.js';

export type AlertsConfig = Pick<
  AppConfig,
  | 'ALERT_WEBHOOK_URLS'
  | 'ALERT_WEBHOOK_SECRET'
  | 'ALERT_WEBHOOK_TIMEOUT_MS'
  | 'ALERT_MAX_ATTEMPTS'
  | 'ALERT_MAX_AGE_SECONDS'
  | 'ALERT_RETRY_BASE_MS'
  | 'ALERT_RETRY_MAX_MS'
  | 'ALERT_POLL_INTERVAL_MS'
  | 'ALERT_RETENTION_DAYS'
  | 'CRASH_ESCALATE_AFTER_SECONDS'
  | 'CRASH_ESCALATE_LOOKBACK_MINUTES'
>;

export interface AlertsOptions {
  readonly config: AlertsConfig;
  readonly models: Models;
  readonly registry: Registry;
  readonly logger: Logger;
}

/** The alert outlets of one app: the outbox, its delivery loop and the crash escalation sweep. */
export interface Alerts {
  /** `outbox.enqueueEvent(record)` / `outbox.onEventRecorded` take events from the event log. */
  readonly outbox: AlertOutbox;
  /** Null when ALERT_WEBHOOK_URLS is empty. */
  readonly delivery: AlertDelivery | null;
  /** Null when CRASH_ESCALATE_AFTER_SECONDS is 0. */
  readonly escalation: CrashEscalation | null;
  /** Deletes delivered and failed deliveries older than ALERT_RETENTION_DAYS. */
  readonly retention: AlertRetention;
  /** Starts the delivery loop and the escalation sweep (enqueueing works before). */
  start(): void;
  /** Stops the sweep and the polling, and gives requests in flight up to `drainMs` before aborting them. */
  close(drainMs: number): Promise<void>;
}

export function createAlerts({ config, models, registry, logger }: AlertsOptions): Alerts {
  const log = logger.child({ component: 'alerts' });
  const { alertOutbox, alertClaims, crashes } = models.collections;
  const targets = keyedTargets(config.ALERT_WEBHOOK_URLS);
  const metrics = new AlertMetrics(registry, () => alertOutbox.countDocuments({ state: 'pending' }));
  const owner = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const secret = config.ALERT_WEBHOOK_SECRET;
  const delivery =
    targets.length > 0 && secret
      ? new AlertDelivery(
          alertOutbox,
          new AlertClaims(alertClaims, owner),
          targets,
          {
            secret,
            timeoutMs: config.ALERT_WEBHOOK_TIMEOUT_MS,
            pollIntervalMs: config.ALERT_POLL_INTERVAL_MS,
            retry: {
              baseMs: config.ALERT_RETRY_BASE_MS,
              maxMs: config.ALERT_RETRY_MAX_MS,
              maxAttempts: config.ALERT_MAX_ATTEMPTS,
              maxAgeMs: config.ALERT_MAX_AGE_SECONDS * 1000,
            },
          },
          metrics,
          log,
        )
      : null;
  const outbox = new AlertOutbox(alertOutbox, targets, () => delivery?.wake(), log);
  const escalation =
    config.CRASH_ESCALATE_AFTER_SECONDS > 0
      ? new CrashEscalation(
          crashes,
          outbox,
          {
            afterSeconds: config.CRASH_ESCALATE_AFTER_SECONDS,
            lookbackMinutes: config.CRASH_ESCALATE_LOOKBACK_MINUTES,
          },
          metrics,
          log,
        )
      : null;
  const retention = new AlertRetention(alertOutbox, config.ALERT_RETENTION_DAYS, log);
  return {
    outbox,
    delivery,
    escalation,
    retention,
    start() {
      delivery?.start();
      escalation?.start();
      retention.start();
      if (targets.length > 0) {
        log.info(
          { webhooks: targets.map((target) => ({ webhook: target.destination, kinds: describeKinds(target.kinds) })) },
          'alert webhooks configured',
        );
      }
    },
    async close(drainMs) {
      retention.stop();
      await escalation?.stop();
      await delivery?.stop(drainMs);
    },
  };
}
