import { type Connection, type Model, Schema, type Types } from 'mongoose';
import { type LatLon, latLonSchema } from './geo.model.js';

/** A crash notification in the legacy `ambulance_crashes` collection; legacy `heading` is a string. */
export interface CrashDoc {
  _id: Types.ObjectId;
  ambulance_id: string | Types.ObjectId;
  location: LatLon;
  speed?: number;
  heading?: number | string;
  count_datetime: Date;
  state?: string;
  location_detail?: { address?: string | null; image?: string | null };
  /**
   * Another crash of the same ambulance within the duplicate window lies too far from this one to be the same
   * notification repeated; both are kept and marked. Absent (false) on documents written before.
   */
  conflict?: boolean;
  /** Position in the crash log (src/models/stream.positions.ts); absent on documents stored before it existed. */
  seq?: number;
  /** The log's watermark when `seq` was handed out: a history cursor of this item resumes from there. */
  settled_seq?: number;
  /** Set once, by the first dispatcher who acknowledged the crash (src/dispatch). */
  acknowledged_at?: Date;
  /** The token subject of that dispatcher (null in open mode). */
  acknowledged_by?: string | null;
  acknowledge_note?: string | null;
  /** Set once when the crash was still unacknowledged CRASH_ESCALATE_AFTER_SECONDS after it was reported. */
  escalated_at?: Date;
}

const crashSchema = new Schema<CrashDoc>(
  {
    ambulance_id: { type: Schema.Types.Mixed, required: true },
    location: { type: latLonSchema, required: true },
    speed: Number,
    heading: Schema.Types.Mixed,
    count_datetime: { type: Date, required: true },
    state: String,
    location_detail: { address: String, image: String },
    conflict: Boolean,
    seq: Number,
    settled_seq: Number,
    acknowledged_at: Date,
    acknowledged_by: String,
    acknowledge_note: String,
    escalated_at: Date,
  },
  { collection: 'ambulance_crashes', versionKey: false, strict: false },
);
crashSchema.index({ seq: 1 }, { unique: true, sparse: true });
crashSchema.index({ ambulance_id: 1, count_datetime: 1, _id: 1 });
crashSchema.index({ count_datetime: 1, _id: 1 });

export type CrashModel = Model<CrashDoc>;
export const crashModel = (connection: Connection): CrashModel => connection.model<CrashDoc>('Crash', crashSchema);
