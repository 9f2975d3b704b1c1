import { type Connection, type Model, Schema, type Types } from 'mongoose';
import type { AmbulanceEventKind, PlaceKind, UnitStatus } from '../domain/ambulance-event.js';

/**
 * One event of the dispatch log (`ambulance_events`). `_id` is derived from the event's cause
 * (src/domain/ambulance-event.id.ts), so two instances recording the same change store it once.
 */
export interface AmbulanceEventDoc {
  _id: Types.ObjectId;
  ambulance_id: string;
  kind: AmbulanceEventKind;
  at: Date;
  place: { id: string; name: string; kind: PlaceKind } | null;
  status: UnitStatus | null;
  previous_status: UnitStatus | null;
  crash_id: string | null;
  note: string | null;
  by: string | null;
  recorded_at: Date;
}

const ambulanceEventSchema = new Schema<AmbulanceEventDoc>(
  {
    ambulance_id: { type: String, required: true },
    kind: { type: String, required: true },
    at: { type: Date, required: true },
    place: { id: String, name: String, kind: String },
    status: String,
    previous_status: String,
    crash_id: String,
    note: String,
    by: String,
    recorded_at: Date,
  },
  { collection: 'ambulance_events', versionKey: false },
);
ambulanceEventSchema.index({ ambulance_id: 1, at: 1, _id: 1 });
ambulanceEventSchema.index({ at: 1, _id: 1 });

export type AmbulanceEventModel = Model<AmbulanceEventDoc>;
export const ambulanceEventModel = (connection: Connection): AmbulanceEventModel =>
  connection.model<AmbulanceEventDoc>('AmbulanceEvent', ambulanceEventSchema);
