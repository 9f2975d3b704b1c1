import type { Logger } from 'pino';
import { targetWants } from '../domain/alert.routes.js';
import type { AmbulanceEventRecord } from '../domain/ambulance-event.js';
import type { AlertOutboxDoc } from '../models/alert-outbox.model.js';
import type { RawCollection } from '../models/models.js';
import { isDuplicateKeyError } from '../models/storage.errors.js';
import { type AlertBody, alertOfEvent, routeOf } from './alert.message.js';
import type { KeyedTarget } from './alert.targets.js';

const RETRY_DELAYS_MS = [500, 2000, 5000];

/**
 * The alert outbox: one document per (alert, webhook) whose kinds filter takes the alert, stored before anything
 * is sent. The document `_id` is derived from the alert id and the webhook, so enqueueing an alert twice (two
 * instances, retries, a reconciliation pass) adds nothing the second time.
 */
export class AlertOutbox {
  constructor(
    private readonly outbox: RawCollection<AlertOutboxDoc>,
    private readonly targets: readonly KeyedTarget[],
    private readonly onEnqueued: () => void,
    private readonly logger: Logger,
  ) {}

  /** Stores the alert for every webhook that wants it; resolves to the number of new deliveries. Rejects if MongoDB does. */
  async enqueue(alert: AlertBody): Promise<number> {
    const wanted = this.targets.filter((target) => targetWants(target, routeOf(alert)));
    if (wanted.length === 0) return 0;
    const now = new Date();
    const body = JSON.stringify(alert);
    let added = 0;
    for (const target of wanted) {
      try {
        await this.outbox.insertOne({
          _id: `${alert.id} ${target.key}`,
          alert_id: alert.id,
          kind: alert.kind,
          ambulance_id: alert.ambulanceId,
          target: target.key,
          destination: target.destination,
          body,
          state: 'pending',
          created_at: now,
          next_attempt_at: now,
          lease_until: new Date(0),
          attempts: 0,
          last_status: null,
          last_error: null,
        });
        added += 1;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    if (added > 0) this.onEnqueued();
    return added;
  }

  /** An ambulance event from the event log, through each webhook's kinds filter. */
  enqueueEvent(record: AmbulanceEventRecord): Promise<number> {
    return this.enqueue(alertOfEvent(record));
  }

  /**
   * For `recorder.onRecorded(...)`: enqueues the recorded event before its recorder goes on (a crash's alert is in
   * the outbox before the device is answered); while MongoDB is away, retries in the background after a wait,
   * and logs (never throws) if it still cannot.
   */
  readonly onEventRecorded = async (record: AmbulanceEventRecord): Promise<void> => {
    try {
      await this.enqueueEvent(record);
    } catch {
      void this.retryEnqueue(record);
    }
  };

  private async retryEnqueue(record: AmbulanceEventRecord): Promise<void> {
    for (const delay of RETRY_DELAYS_MS) {
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
      try {
        await this.enqueueEvent(record);
        return;
      } catch (error) {
        if (delay !== RETRY_DELAYS_MS.at(-1)) continue;
        this.logger.error(
          { err: (error as Error).message, eventId: record.id, kind: record.kind },
          'could not store an alert in the outbox; it will not be sent unless the event is enqueued again',
        );
      }
    }
  }
}
