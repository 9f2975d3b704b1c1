import type { AlertClaimDoc, AlertOutboxDoc } from '../models/alert-outbox.model.js';
import type { RawCollection } from '../models/models.js';
import { isDuplicateKeyError } from '../models/storage.errors.js';

/**
 * Which instance makes each attempt. An attempt is claimed by inserting `<outbox _id>#<attempt>`: one insert wins,
 * on MongoDB and on FerretDB v1 alike. A claim whose lease has run out (its instance died or stalled) lets the next
 * attempt number be claimed, so a delivery is never stuck behind a dead instance.
 */
export class AlertClaims {
  constructor(
    private readonly claims: RawCollection<AlertClaimDoc>,
    private readonly owner: string,
  ) {}

  /**
   * The claimed attempt number, or null when another instance holds the delivery. Claims past the last recorded
   * attempt whose leases ran out (their instances died or failed before recording) are stepped over, however many
   * there are: the next attempt is the one after the highest of them.
   */
  async acquire(doc: AlertOutboxDoc, leaseMs: number): Promise<number | null> {
    const now = Date.now();
    const unrecorded = await this.claims
      .find({ outbox_id: doc._id, attempt: { $gt: doc.attempts } }, { projection: { attempt: 1, lease_until: 1 } })
      .toArray();
    if (unrecorded.some((claim) => claim.lease_until.getTime() > now)) return null;
    const attempt = Math.max(doc.attempts, ...unrecorded.map((claim) => claim.attempt)) + 1;
    try {
      await this.claims.insertOne({
        _id: `${doc._id}#${attempt}`,
        outbox_id: doc._id,
        attempt,
        owner: this.owner,
        lease_until: new Date(now + leaseMs),
      });
      return attempt;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // Another instance took this attempt a moment ago.
      return null;
    }
  }

  /** Gives a claim back unused (the delivery turned out not to be due), so the next instance need not wait for its lease. */
  async release(outboxId: string, attempt: number): Promise<void> {
    await this.claims.deleteOne({ _id: `${outboxId}#${attempt}`, owner: this.owner });
  }

  /** A delivered or failed delivery needs its claims no more. */
  async forget(outboxId: string): Promise<void> {
    await this.claims.deleteMany({ outbox_id: outboxId });
  }
}
