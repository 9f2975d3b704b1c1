import { Schema } from 'mongoose';

/** The legacy `{lat, lon}` point shape used by every positional collection. */
export interface LatLon {
  lat: number;
  lon: number;
}

export const latLonSchema = new Schema<LatLon>({ lat: Number, lon: Number }, { _id: false });
