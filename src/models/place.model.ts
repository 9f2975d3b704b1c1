import { type Connection, type Model, Schema, type Types } from 'mongoose';
import type { PlaceKind } from '../domain/ambulance-event.js';
import { type LatLon, latLonSchema } from './geo.model.js';

/**
 * A place dispatch knows (hospital, station, base): a circle (`location` + `radius_meters`) or a polygon
 * (`polygon`, an array of `{lat, lon}` objects: FerretDB v1 stores no nested arrays). `location` is the circle's
 * centre or the polygon's centroid.
 */
export interface PlaceDoc {
  _id: Types.ObjectId;
  name: string;
  kind: PlaceKind;
  location: LatLon;
  radius_meters: number | null;
  polygon: LatLon[] | null;
  created_at: Date;
  updated_at: Date;
  updated_by: string | null;
}

const placeSchema = new Schema<PlaceDoc>(
  {
    name: { type: String, required: true },
    kind: { type: String, required: true },
    location: { type: latLonSchema, required: true },
    radius_meters: Number,
    polygon: [latLonSchema],
    created_at: Date,
    updated_at: Date,
    updated_by: String,
  },
  { collection: 'places', versionKey: false },
);

export type PlaceModel = Model<PlaceDoc>;
export const placeModel = (connection: Connection): PlaceModel => connection.model<PlaceDoc>('Place', placeSchema);
