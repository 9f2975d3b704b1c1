import { Args, ArgsType, Authorized, Ctx, Field, Float, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { scopeFilter } from '../auth/ambulance.scope.js';
import { READERS } from '../auth/root-field.roles.js';
import { connectivityOf } from '../domain/connectivity.rules.js';
import { distanceMetres, METRES_PER_DEGREE } from '../domain/geo.distance.js';
import { badInput } from '../errors/graphql.errors.js';
import type { TrackingEvent } from '../events/event.payloads.js';
import type { AmbulanceDoc } from '../models/ambulance.model.js';
import { Ambulance } from './ambulance.type.js';
import { Connectivity, UnitStatus } from './dispatch.enums.js';
import type { GraphQLContext } from './graphql.context.js';

const MAX_NEAREST = 100;
const DEFAULT_WITHIN_METERS = 100_000;

@ObjectType({ description: 'A unit and how far it is from a point.' })
export class NearbyAmbulance {
  @Field(() => Ambulance)
  ambulance!: Ambulance;

  @Field(() => Float, { description: 'Great-circle distance from its last position, in metres.' })
  distanceMeters!: number;

  @Field(() => Int, {
    description: 'An estimate: distance at ETA_AVERAGE_SPEED_KMH (no roads or traffic), in seconds.',
  })
  etaSeconds!: number;
}

@ArgsType()
export class NearestAmbulancesArgs {
  @Field(() => Float)
  latitude!: number;

  @Field(() => Float)
  longitude!: number;

  @Field(() => Int, { defaultValue: 5, description: `How many, nearest first (at most ${MAX_NEAREST}).` })
  first!: number;

  @Field(() => [UnitStatus], { nullable: true, description: 'Only units with these statuses; omit for any.' })
  statuses?: UnitStatus[] | null;

  @Field(() => [Connectivity], {
    nullable: true,
    description: 'Only units with this connectivity; omitted: ONLINE only.',
  })
  connectivities?: Connectivity[] | null;

  @Field(() => Float, {
    defaultValue: DEFAULT_WITHIN_METERS,
    description: 'Only units within this many metres (a bounding box first, then the exact distance).',
  })
  withinMeters!: number;
}

/** The bounding box around a point: a cheap filter on stored positions before exact distances. */
function boxFilter(latitude: number, longitude: number, metres: number): Record<string, unknown> {
  const dLat = metres / METRES_PER_DEGREE;
  const cos = Math.cos((latitude * Math.PI) / 180);
  const dLon = cos > 1e-6 ? metres / (METRES_PER_DEGREE * cos) : 360;
  const filter: Record<string, unknown> = {
    'last_position.location.lat': { $gte: latitude - dLat, $lte: latitude + dLat },
  };
  // Near the poles or across the antimeridian the longitude range wraps: check only the latitude here.
  if (longitude - dLon >= -180 && longitude + dLon <= 180) {
    filter['last_position.location.lon'] = { $gte: longitude - dLon, $lte: longitude + dLon };
  }
  return filter;
}

@Resolver()
export class NearestResolver {
  @Authorized(...READERS)
  @Query(() => [NearbyAmbulance], {
    description:
      'The units nearest a point by great-circle distance from their last position, with an ETA estimate; ONLINE ' +
      'units only unless `connectivities` says otherwise, within your token scope.',
  })
  async nearestAmbulances(
    @Args(() => NearestAmbulancesArgs) args: NearestAmbulancesArgs,
    @Ctx() context: GraphQLContext,
  ): Promise<NearbyAmbulance[]> {
    const { latitude, longitude, first, withinMeters } = args;
    if (!(Math.abs(latitude) <= 90)) throw badInput('latitude', 'must be within ±90');
    if (!(Math.abs(longitude) <= 180)) throw badInput('longitude', 'must be within ±180');
    if (!Number.isInteger(first) || first < 1 || first > MAX_NEAREST) {
      throw badInput('first', `must be between 1 and ${MAX_NEAREST}`);
    }
    if (!(withinMeters > 0 && withinMeters <= 20_000_000)) throw badInput('withinMeters', 'must be above 0');
    const { models, dispatch } = context.services;
    const scoped = scopeFilter(context.principal);
    const docs = (await models.collections.ambulances
      .find({ ...boxFilter(latitude, longitude, withinMeters), ...(scoped ? { _id: scoped } : {}) })
      .toArray()) as AmbulanceDoc[];
    const statuses = args.statuses && args.statuses.length > 0 ? new Set(args.statuses) : null;
    const connectivities = new Set(args.connectivities ?? ['ONLINE']);
    const now = new Date();
    const target = { latitude, longitude };
    return docs
      .flatMap((doc) => {
        const ambulance = Ambulance.fromDoc(doc);
        const last = newestPosition(doc, context.services.latestPositions.of(ambulance.id));
        if (!last) return [];
        if (statuses && !statuses.has(doc.status ?? 'AVAILABLE')) return [];
        if (!connectivities.has(connectivityOf(last.at, now, dispatch.connectivity))) return [];
        const from = { latitude: last.latitude, longitude: last.longitude };
        const distanceMeters = distanceMetres(from, target);
        if (distanceMeters > withinMeters) return [];
        return [
          Object.assign(new NearbyAmbulance(), {
            ambulance,
            distanceMeters,
            etaSeconds: dispatch.eta.etaSeconds(from, target, distanceMeters),
          }),
        ];
      })
      .sort((a, b) => a.distanceMeters - b.distanceMeters || a.ambulance.id.localeCompare(b.ambulance.id))
      .slice(0, first);
  }
}

/**
 * Where and when the unit last reported: the projected fleet document or, when later, the newest report this
 * instance has seen live (the documents are projected in rounds, PROJECTION_INTERVAL_MS).
 */
function newestPosition(
  doc: AmbulanceDoc,
  live: TrackingEvent | undefined,
): { latitude: number; longitude: number; at: Date } | null {
  const stored = doc.last_position?.location ? doc.last_position : null;
  if (live && (!stored || Date.parse(live.recordedAt) > stored.count_datetime.getTime())) {
    return { latitude: live.latitude, longitude: live.longitude, at: new Date(live.recordedAt) };
  }
  return stored ? { latitude: stored.location.lat, longitude: stored.location.lon, at: stored.count_datetime } : null;
}
