import DataLoader from 'dataloader';
import type { AmbulanceDoc } from '../models/ambulance.model.js';
import { ambulanceIdToString, ambulanceIdValues } from '../models/ambulance-id.filter.js';
import type { Models } from '../models/models.js';
import type { TrackingDoc } from '../models/tracking.model.js';
import { Ambulance } from './ambulance.type.js';

/**
 * Batching loaders, created per HTTP request and per subscription operation (cleared per event). Each loader is
 * made on first use: most subscribers' contexts never need one, and thousands of them are held at once.
 */
export class Loaders {
  private ambulances?: DataLoader<string, AmbulanceDoc | null>;
  private latestTracking?: DataLoader<string, TrackingDoc | null>;

  constructor(private readonly models: Models) {}

  /** One `$in` query for every ambulance a response needs. */
  get ambulanceById(): DataLoader<string, AmbulanceDoc | null> {
    this.ambulances ??= new DataLoader(async (ids) => {
      const docs = await this.models.collections.ambulances
        .find<AmbulanceDoc>({ _id: { $in: ids.flatMap((id) => ambulanceIdValues(id)) } })
        .toArray();
      const byId = new Map(docs.map((doc) => [ambulanceIdToString(doc._id), doc]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    return this.ambulances;
  }

  /**
   * Latest stored point for ambulances whose fleet document carries no copy of it (legacy documents).
   * MongoDB has no portable "top one per group" that FerretDB also runs, so this issues one indexed
   * query per such ambulance, all in the same tick.
   */
  get latestTrackingByAmbulanceId(): DataLoader<string, TrackingDoc | null> {
    this.latestTracking ??= new DataLoader(async (ids) =>
      Promise.all(
        ids.map(async (id) =>
          this.models.collections.trackings.findOne<TrackingDoc>(
            { ambulance_id: { $in: ambulanceIdValues(id) } },
            { sort: { count_datetime: -1, _id: -1 } },
          ),
        ),
      ),
    );
    return this.latestTracking;
  }

  clearAll(): void {
    this.ambulances?.clearAll();
    this.latestTracking?.clearAll();
  }
}

/** The Ambulance a point, crash or snapshot belongs to (one known only by id when it has no fleet document). */
export async function loadAmbulance(loaders: Loaders, id: string): Promise<Ambulance> {
  const doc = await loaders.ambulanceById.load(id);
  return doc ? Ambulance.fromDoc(doc) : Object.assign(new Ambulance(), { id });
}
