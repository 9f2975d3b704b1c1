import { type Connection, type Model, Schema, type Types } from 'mongoose';
import type { UnitStatus } from '../domain/ambulance-event.js';
import type { Connectivity } from '../domain/connectivity.rules.js';
import { type LatLon, latLonSchema } from './geo.model.js';

/** The newest point of an ambulance, copied onto its fleet document so the fleet view costs one read. */
export interface LastPositionDoc {
  tracking_id: Types.ObjectId;
  location: LatLon;
  speed: number;
  heading: number;
  state: string;
  count_datetime: Date;
  speeding_episode_id?: Types.ObjectId | null;
  /** The point's conflict mark when it was stored (absent on positions written before conflicts were recorded). */
  conflict?: boolean;
}

/**
 * The `ambulances` collection. New ambulances are keyed by the id devices send ("332");
 * legacy fleet documents keep their ObjectId `_id` and other fields.
 */
export interface AmbulanceDoc {
  _id: string | Types.ObjectId;
  last_position?: LastPositionDoc;
  last_crash_at?: Date;
  /** Dispatch status (absent: AVAILABLE), when it was set and by whom (a token subject or `system:<rule>`). */
  status?: UnitStatus;
  status_since?: Date;
  status_by?: string | null;
  /** The connectivity last announced by an event (absent: never announced); see src/dispatch. */
  connectivity?: Connectivity;
  connectivity_since?: Date;
  createdAt?: Date;
  updatedAt?: Date;
}

const lastPositionSchema = new Schema<LastPositionDoc>(
  {
    tracking_id: Schema.Types.ObjectId,
    location: latLonSchema,
    speed: Number,
    heading: Number,
    state: String,
    count_datetime: Date,
    speeding_episode_id: Schema.Types.ObjectId,
    conflict: Boolean,
  },
  { _id: false },
);

const ambulanceSchema = new Schema<AmbulanceDoc>(
  {
    _id: { type: Schema.Types.Mixed },
    last_position: lastPositionSchema,
    last_crash_at: Date,
    status: String,
    status_since: Date,
    status_by: String,
    connectivity: String,
    connectivity_since: Date,
    createdAt: Date,
    updatedAt: Date,
  },
  { collection: 'ambulances', versionKey: false, strict: false },
);

export type AmbulanceModel = Model<AmbulanceDoc>;
export const ambulanceModel = (connection: Connection): AmbulanceModel =>
  connection.model<AmbulanceDoc>('Ambulance', ambulanceSchema);
