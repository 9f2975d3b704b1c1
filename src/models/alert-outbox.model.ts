import { type Connection, type Model, Schema } from 'mongoose';

export const ALERT_STATES = ['pending', 'delivered', 'failed'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/**
 * One delivery of one alert to one webhook (`alert_outbox`). `_id` is `<alertId> <target>`, so enqueueing the same
 * alert again (another instance, a retry, a reconciliation pass) meets the unique `_id` and adds nothing.
 * Only the holder of the current attempt's claim (`alert_claims`) writes the mutable fields.
 */
export interface AlertOutboxDoc {
  _id: string;
  /** The idempotency key sent with every attempt: the event id, or `escalation:<crashId>`. */
  alert_id: string;
  kind: string;
  ambulance_id: string;
  /** Hash of the webhook URL (the URL itself may carry credentials; it is looked up in the configuration). */
  target: string;
  /** The URL without credentials or query, for people reading the collection. */
  destination: string;
  /** The exact bytes sent (and signed) on every attempt. */
  body: string;
  state: AlertState;
  created_at: Date;
  next_attempt_at: Date;
  /** Past or epoch when nobody holds it. */
  lease_until: Date;
  /** Number of the last claimed attempt. */
  attempts: number;
  last_status?: number | null;
  last_error?: string | null;
  delivered_at?: Date;
  failed_at?: Date;
}

/**
 * A claim on one attempt of one delivery (`_id` `<outbox _id>#<attempt>`). An insert is atomic on MongoDB and on
 * FerretDB v1 alike (its conditional updates are not: it reads, then writes the whole document back), so the
 * unique `_id` decides which instance makes the attempt. A claim whose lease ran out lets the next number be taken.
 */
export interface AlertClaimDoc {
  _id: string;
  outbox_id: string;
  attempt: number;
  owner: string;
  lease_until: Date;
}

const alertOutboxSchema = new Schema<AlertOutboxDoc>(
  {
    _id: String,
    alert_id: { type: String, required: true },
    kind: { type: String, required: true },
    ambulance_id: String,
    target: { type: String, required: true },
    destination: String,
    body: { type: String, required: true },
    state: { type: String, enum: ALERT_STATES, required: true },
    created_at: { type: Date, required: true },
    next_attempt_at: { type: Date, required: true },
    lease_until: { type: Date, required: true },
    attempts: { type: Number, required: true },
    last_status: Number,
    last_error: String,
    delivered_at: Date,
    failed_at: Date,
  },
  { collection: 'alert_outbox', versionKey: false, strict: false },
);
alertOutboxSchema.index({ state: 1, next_attempt_at: 1 });
alertOutboxSchema.index({ alert_id: 1 });

const alertClaimSchema = new Schema<AlertClaimDoc>(
  {
    _id: String,
    outbox_id: { type: String, required: true },
    attempt: { type: Number, required: true },
    owner: String,
    lease_until: { type: Date, required: true },
  },
  { collection: 'alert_claims', versionKey: false, strict: false },
);
alertClaimSchema.index({ outbox_id: 1 });

export type AlertOutboxModel = Model<AlertOutboxDoc>;
export type AlertClaimModel = Model<AlertClaimDoc>;
export const alertOutboxModel = (connection: Connection): AlertOutboxModel =>
  connection.model<AlertOutboxDoc>('AlertOutbox', alertOutboxSchema);
export const alertClaimModel = (connection: Connection): AlertClaimModel =>
  connection.model<AlertClaimDoc>('AlertClaim', alertClaimSchema);
