import { Types } from 'mongoose';
import type { PlaceKind } from '../domain/ambulance-event.js';
import type { Coordinates } from '../domain/geo.distance.js';
import { centreOf, type PlaceShape, shapeProblem } from '../domain/place.geometry.js';
import type { VisitPlace } from '../domain/place-visit.rules.js';
import { badInput } from '../errors/graphql.errors.js';
import type { Models } from '../models/models.js';
import type { PlaceDoc } from '../models/place.model.js';

export interface PlaceFields {
  readonly name: string;
  readonly kind: PlaceKind;
  readonly shape: PlaceShape;
}

/** How long this instance trusts its copy of the places; changes made on another instance show after it. */
const CATALOG_TTL_MS = 5000;

export const placeShapeOf = (doc: PlaceDoc): PlaceShape =>
  doc.polygon && doc.polygon.length >= 3
    ? { kind: 'polygon', vertices: doc.polygon.map((point) => ({ latitude: point.lat, longitude: point.lon })) }
    : {
        kind: 'circle',
        center: { latitude: doc.location.lat, longitude: doc.location.lon },
        radiusMeters: doc.radius_meters ?? 0,
      };

const toLatLon = (point: Coordinates) => ({ lat: point.latitude, lon: point.longitude });

/**
 * The places (hospitals, stations, bases) and their changes. Reads are served from a copy refreshed every
 * few seconds (every report is checked against every place); this instance's own changes refresh it at once.
 */
export class PlaceCatalog {
  private cached: { readonly at: number; readonly places: readonly PlaceDoc[] } | null = null;

  constructor(private readonly models: Models) {}

  async all(): Promise<readonly PlaceDoc[]> {
    if (this.cached && Date.now() - this.cached.at < CATALOG_TTL_MS) return this.cached.places;
    const places = await this.models.collections.places.find({}, { sort: { name: 1, _id: 1 } }).toArray();
    this.cached = { at: Date.now(), places };
    return places;
  }

  async visitPlaces(): Promise<VisitPlace[]> {
    return (await this.all()).map((doc) => ({
      id: doc._id.toHexString(),
      name: doc.name,
      kind: doc.kind,
      shape: placeShapeOf(doc),
    }));
  }

  async create(fields: PlaceFields, by: string | null): Promise<PlaceDoc> {
    const now = new Date();
    const doc: PlaceDoc = {
      _id: new Types.ObjectId(),
      ...docFieldsOf(fields),
      created_at: now,
      updated_at: now,
      updated_by: by,
    };
    await this.models.collections.places.insertOne(doc);
    this.cached = null;
    return doc;
  }

  /** The updated place, or null when there is none with this id. */
  async update(id: Types.ObjectId, fields: PlaceFields, by: string | null): Promise<PlaceDoc | null> {
    const doc = await this.models.collections.places.findOneAndUpdate(
      { _id: id },
      { $set: { ...docFieldsOf(fields), updated_at: new Date(), updated_by: by } },
      { returnDocument: 'after' },
    );
    this.cached = null;
    return doc;
  }

  async delete(id: Types.ObjectId): Promise<boolean> {
    const { deletedCount } = await this.models.collections.places.deleteOne({ _id: id });
    this.cached = null;
    return deletedCount > 0;
  }
}

function docFieldsOf(fields: PlaceFields): Pick<PlaceDoc, 'name' | 'kind' | 'location' | 'radius_meters' | 'polygon'> {
  const problem = shapeProblem(fields.shape);
  if (problem) throw badInput(problem.field, problem.message);
  const name = fields.name.trim();
  if (name.length === 0 || name.length > 200) throw badInput('name', 'must be 1 to 200 characters');
  return {
    name,
    kind: fields.kind,
    location: toLatLon(centreOf(fields.shape)),
    radius_meters: fields.shape.kind === 'circle' ? fields.shape.radiusMeters : null,
    polygon: fields.shape.kind === 'polygon' ? fields.shape.vertices.map(toLatLon) : null,
  };
}
