import { type Connection, type Model, Schema } from 'mongoose';

/**
 * Where one ambulance is among the places (`place_visits`, keyed by ambulance id): stored so that a restarted
 * instance and the other instances agree. `version` grows with every change; writers compare and set it.
 */
export interface PlaceVisitDoc {
  _id: string;
  version: number;
  inside: Array<{ place_id: string; since: Date; entered_at: Date }>;
  pending: Array<{ place_id: string; since: Date }>;
  last_at: Date | null;
}

const placeVisitSchema = new Schema<PlaceVisitDoc>(
  { _id: String, version: Number, inside: [Schema.Types.Mixed], pending: [Schema.Types.Mixed], last_at: Date },
  { collection: 'place_visits', versionKey: false },
);

export type PlaceVisitModel = Model<PlaceVisitDoc>;
export const placeVisitModel = (connection: Connection): PlaceVisitModel =>
  connection.model<PlaceVisitDoc>('PlaceVisit', placeVisitSchema);
