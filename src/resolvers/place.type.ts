import { Field, Float, ID, InputType, ObjectType } from 'type-graphql';
import type { PlaceShape } from '../domain/place.geometry.js';
import { badInput } from '../errors/graphql.errors.js';
import type { PlaceDoc } from '../models/place.model.js';
import { PlaceKind } from './dispatch.enums.js';

@ObjectType({ description: 'A point in degrees.' })
export class LatLng {
  @Field(() => Float)
  latitude!: number;

  @Field(() => Float)
  longitude!: number;
}

@InputType()
export class LatLngInput {
  @Field(() => Float)
  latitude!: number;

  @Field(() => Float)
  longitude!: number;
}

@ObjectType({ description: 'A hospital, station or base: a circle (radiusMeters) or a polygon.' })
export class Place {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => PlaceKind)
  kind!: PlaceKind;

  @Field(() => Float, { description: "The circle's centre, or the mean of the polygon's points." })
  latitude!: number;

  @Field(() => Float)
  longitude!: number;

  @Field(() => Float, { nullable: true, description: 'Set for a circle, null for a polygon.' })
  radiusMeters!: number | null;

  @Field(() => [LatLng], { nullable: true, description: 'Set for a polygon, null for a circle.' })
  polygon!: LatLng[] | null;

  static fromDoc(doc: PlaceDoc): Place {
    return Object.assign(new Place(), {
      id: doc._id.toHexString(),
      name: doc.name,
      kind: doc.kind,
      latitude: doc.location.lat,
      longitude: doc.location.lon,
      radiusMeters: doc.polygon && doc.polygon.length > 0 ? null : (doc.radius_meters ?? null),
      polygon:
        doc.polygon && doc.polygon.length > 0
          ? doc.polygon.map((point) => Object.assign(new LatLng(), { latitude: point.lat, longitude: point.lon }))
          : null,
    });
  }
}

@InputType({ description: 'A circle (latitude, longitude, radiusMeters) or a polygon (polygon; the rest omitted).' })
export class PlaceInput {
  @Field(() => String)
  name!: string;

  @Field(() => PlaceKind)
  kind!: PlaceKind;

  @Field(() => Float, { nullable: true })
  latitude?: number | null;

  @Field(() => Float, { nullable: true })
  longitude?: number | null;

  @Field(() => Float, { nullable: true })
  radiusMeters?: number | null;

  @Field(() => [LatLngInput], { nullable: true, description: 'At least 3 points, not closed (last ≠ first).' })
  polygon?: LatLngInput[] | null;
}

/** The shape a PlaceInput describes; BAD_USER_INPUT when it describes neither or both. */
export function shapeOfInput(input: PlaceInput): PlaceShape {
  if (input.polygon) {
    if (input.radiusMeters !== undefined && input.radiusMeters !== null) {
      throw badInput('radiusMeters', 'must be omitted for a polygon place');
    }
    return { kind: 'polygon', vertices: input.polygon.map(({ latitude, longitude }) => ({ latitude, longitude })) };
  }
  const { latitude, longitude, radiusMeters } = input;
  if (latitude === undefined || latitude === null || longitude === undefined || longitude === null) {
    throw badInput('latitude', 'and longitude are required for a circle place (or give polygon)');
  }
  if (radiusMeters === undefined || radiusMeters === null) {
    throw badInput('radiusMeters', 'is required for a circle place (or give polygon)');
  }
  return { kind: 'circle', center: { latitude, longitude }, radiusMeters };
}
