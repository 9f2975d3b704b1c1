import type { AlertClaimDoc, AlertOutboxDoc } from '../models/alert-outbox.model.js';
import type { RawCollection } from '../models/models.js';
import { isDuplicateKeyError } from '../models/storage.errors.js';

/** Claims tried past the last recorded attempt before giving the delivery up to the next pass. */
const MAX_SKIPPED_CLAIMS = 5;

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

  /** The claimed attempt number, or null when another instance holds the delivery. */
  async acquire(doc: AlertOutboxDoc, leaseMs: number): Promise<number | null> {
    for (let attempt = doc.attempts + 1; attempt <= doc.attempts + MAX_SKIPPED_CLAIMS; attempt++) {
      const now = Date.now();
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
        const held = await this.claims.findOne({ _id: `${doc._id}#${attempt}` });
        if (held && held.lease_until.getTime() > now) return null;
      }
    }
    return null;
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
