import { z } from 'zod';
import { parseWebhookTargets, type WebhookTarget } from '../domain/alert.routes.js';
import { optionalString, positiveInt, wholeNumber } from './env.fields.js';

/** Outbound alert webhooks and crash escalation (docs/alerts.md). */
export const alertsEnv = {
  /** `URL` or `URL|KIND,KIND` entries separated by `;`; unset: no webhooks. */
  ALERT_WEBHOOK_URLS: z
    .string()
    .default('')
    .transform((value, context): WebhookTarget[] => {
      try {
        return parseWebhookTargets(value);
      } catch (error) {
        context.addIssue({ code: 'custom', input: value, message: `${(error as Error).message} (docs/alerts.md)` });
        return z.NEVER;
      }
    }),
  ALERT_WEBHOOK_SECRET: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  ALERT_WEBHOOK_TIMEOUT_MS: wholeNumber(5000, 100, 120_000),
  ALERT_MAX_ATTEMPTS: wholeNumber(20, 1, 1000),
  ALERT_MAX_AGE_SECONDS: wholeNumber(86_400, 1),
  ALERT_RETRY_BASE_MS: wholeNumber(2000, 1, 3_600_000),
  ALERT_RETRY_MAX_MS: wholeNumber(300_000, 1, 86_400_000),
  ALERT_POLL_INTERVAL_MS: wholeNumber(1000, 10, 600_000),
  ALERT_RETENTION_DAYS: wholeNumber(30, 1, 3650),
  CRASH_ESCALATE_AFTER_SECONDS: wholeNumber(120, 0, 86_400),
  CRASH_ESCALATE_LOOKBACK_MINUTES: positiveInt(60),
};

interface AlertSettings {
  readonly ALERT_WEBHOOK_URLS: readonly WebhookTarget[];
  readonly ALERT_WEBHOOK_SECRET?: string | undefined;
  readonly ALERT_RETRY_BASE_MS: number;
  readonly ALERT_RETRY_MAX_MS: number;
  readonly CRASH_ESCALATE_AFTER_SECONDS: number;
  readonly CRASH_ESCALATE_LOOKBACK_MINUTES: number;
}

/** Rules across variables; returns what to fix, or null. */
export function checkAlertsConfig(config: AlertSettings): string | null {
  if (config.ALERT_WEBHOOK_URLS.length > 0 && !config.ALERT_WEBHOOK_SECRET) {
    return (
      'ALERT_WEBHOOK_URLS is set but ALERT_WEBHOOK_SECRET is not: every webhook is signed (X-Signature, HMAC-SHA256) ' +
      'with it. Generate one with "openssl rand -hex 32", set it here and give it to the receivers (docs/alerts.md).'
    );
  }
  if (config.ALERT_RETRY_BASE_MS > config.ALERT_RETRY_MAX_MS) {
    return `ALERT_RETRY_BASE_MS (${config.ALERT_RETRY_BASE_MS}) must not exceed ALERT_RETRY_MAX_MS (${config.ALERT_RETRY_MAX_MS})`;
  }
  if (config.CRASH_ESCALATE_LOOKBACK_MINUTES * 60 <= config.CRASH_ESCALATE_AFTER_SECONDS) {
    return `CRASH_ESCALATE_LOOKBACK_MINUTES (${config.CRASH_ESCALATE_LOOKBACK_MINUTES}) must be longer than CRASH_ESCALATE_AFTER_SECONDS (${config.CRASH_ESCALATE_AFTER_SECONDS} s), or no crash could ever be escalated`;
  }
  return null;
}
