import { type Connection, type Model, Schema, type Types } from 'mongoose';
import { type LatLon, latLonSchema } from './geo.model.js';

/** A stored position in the legacy `ambulance_trackings` collection (legacy documents have ObjectId ambulance ids). */
export interface TrackingDoc {
  _id: Types.ObjectId;
  ambulance_id: string | Types.ObjectId;
  location: LatLon;
  source_location?: LatLon;
  destination_location?: LatLon;
  speed?: number;
  avg_speed?: number;
  heading?: number | string;
  count_datetime: Date;
  state?: string;
  covered_distance?: number;
  estimated_time?: number;
  speed_above_80?: Types.ObjectId;
  speed_above_120?: Types.ObjectId;
  speeding_episode_id?: Types.ObjectId;
  /** The time the device took the reading, when it sent one; `count_datetime` is when the server received it. */
  device_timestamp?: Date;
  /**
   * Another report claims the same ambulance and device time with a different reading; both are kept and
   * marked. Absent (false) on documents written before conflicts were recorded.
   */
  conflict?: boolean;
  /** Position in the tracking log (src/models/stream.positions.ts); absent on documents stored before it existed. */
  seq?: number;
  /** The log's watermark when `seq` was handed out: a history cursor of this item resumes from there. */
  settled_seq?: number;
}

const trackingSchema = new Schema<TrackingDoc>(
  {
    ambulance_id: { type: Schema.Types.Mixed, required: true },
    location: { type: latLonSchema, required: true },
    source_location: latLonSchema,
    destination_location: latLonSchema,
    speed: Number,
    avg_speed: Number,
    heading: Schema.Types.Mixed,
    count_datetime: { type: Date, required: true },
    state: String,
    covered_distance: Number,
    estimated_time: Number,
    speed_above_80: Schema.Types.ObjectId,
    speed_above_120: Schema.Types.ObjectId,
    speeding_episode_id: Schema.Types.ObjectId,
    device_timestamp: Date,
    conflict: Boolean,
    seq: Number,
    settled_seq: Number,
  },
  { collection: 'ambulance_trackings', versionKey: false, strict: false },
);
trackingSchema.index({ seq: 1 }, { unique: true, sparse: true });
trackingSchema.index({ ambulance_id: 1, count_datetime: 1, _id: 1 });
trackingSchema.index({ ambulance_id: 1, seq: 1 }, { sparse: true });

export type TrackingModel = Model<TrackingDoc>;
export const trackingModel = (connection: Connection): TrackingModel =>
  connection.model<TrackingDoc>('Tracking', trackingSchema);
