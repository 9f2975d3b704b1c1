import { ambulanceEventId } from '../domain/ambulance-event.id.js';
import {
  applyReport,
  NO_VISITS,
  type PlaceVisits,
  type VisitChange,
  type VisitRules,
  visitsChanged,
} from '../domain/place-visit.rules.js';
import type { TrackingEvent } from '../events/event.payloads.js';
import type { Models } from '../models/models.js';
import type { PlaceVisitDoc } from '../models/place-visit.model.js';
import { isDuplicateKeyError } from '../models/storage.errors.js';
import type { WriteLane } from '../models/write.lane.js';
import { type AmbulanceEventRecorder, blankEvent } from './ambulance-event.recorder.js';
import type { PlaceCatalog } from './place.catalog.js';
import type { UnitStatusService } from './unit-status.service.js';

const MAX_ATTEMPTS = 5;

const visitsOfDoc = (doc: PlaceVisitDoc | null): PlaceVisits =>
  doc
    ? {
        inside: doc.inside.map((stay) => ({ placeId: stay.place_id, since: stay.since, enteredAt: stay.entered_at })),
        pending: doc.pending.map((stay) => ({ placeId: stay.place_id, since: stay.since })),
        lastAt: doc.last_at,
      }
    : NO_VISITS;

/**
 * Arrivals and departures: applies stored reports to each ambulance's visits (src/domain/place-visit.rules.ts),
 * stored in `place_visits` and changed by compare-and-set on a version, so instances that handle reports of the
 * same ambulance agree; the one whose change is stored records the PLACE_ENTERED / PLACE_LEFT events (ids from
 * the place and the visit's first report) and applies the status table to arrivals.
 */
export class PlaceVisitTracker {
  constructor(
    private readonly models: Models,
    private readonly lane: WriteLane,
    private readonly catalog: PlaceCatalog,
    private readonly recorder: AmbulanceEventRecorder,
    private readonly statuses: UnitStatusService,
    private readonly rules: VisitRules,
  ) {}

  /** Applies the stored points (any ambulances, in the order they were stored). */
  async stored(points: readonly TrackingEvent[]): Promise<void> {
    const places = await this.catalog.visitPlaces();
    // No place to enter or leave (visits of deleted places end when a place exists again): no read, no write.
    if (places.length === 0) return;
    const byAmbulance = new Map<string, TrackingEvent[]>();
    for (const point of points) {
      const list = byAmbulance.get(point.ambulanceId);
      if (list) list.push(point);
      else byAmbulance.set(point.ambulanceId, [point]);
    }
    const ids = [...byAmbulance.keys()];
    const docs = await this.models.collections.placeVisits.find({ _id: { $in: ids } }).toArray();
    const stored = new Map(docs.map((doc) => [doc._id, doc]));
    // Units far from every place, and not inside or about to enter one, cost no write.
    for (const [ambulanceId, reports] of byAmbulance) {
      await this.apply(ambulanceId, reports, stored.get(ambulanceId) ?? null, places);
    }
  }

  private async apply(
    ambulanceId: string,
    reports: readonly TrackingEvent[],
    first: PlaceVisitDoc | null,
    places: Awaited<ReturnType<PlaceCatalog['visitPlaces']>>,
  ): Promise<void> {
    let doc = first;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const before = visitsOfDoc(doc);
      let visits = before;
      const entered: VisitChange[] = [];
      const left: VisitChange[] = [];
      for (const report of reports) {
        const outcome = applyReport(
          visits,
          { latitude: report.latitude, longitude: report.longitude, at: new Date(report.recordedAt) },
          places,
          this.rules,
        );
        visits = outcome.visits;
        entered.push(...outcome.entered);
        left.push(...outcome.left);
      }
      if (!visitsChanged(before, visits)) return;
      if (await this.lane.run(() => this.compareAndSet(ambulanceId, doc, visits), 'background')) {
        await this.announce(ambulanceId, entered, left);
        return;
      }
      doc = await this.models.collections.placeVisits.findOne({ _id: ambulanceId });
    }
    throw new Error(`place visits of ambulance ${ambulanceId} kept changing`);
  }

  private async compareAndSet(ambulanceId: string, doc: PlaceVisitDoc | null, visits: PlaceVisits): Promise<boolean> {
    const fields = {
      inside: visits.inside.map((stay) => ({ place_id: stay.placeId, since: stay.since, entered_at: stay.enteredAt })),
      pending: visits.pending.map((stay) => ({ place_id: stay.placeId, since: stay.since })),
      last_at: visits.lastAt,
    };
    const collection = this.models.collections.placeVisits;
    if (!doc) {
      try {
        await collection.insertOne({ _id: ambulanceId, version: 1, ...fields });
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    }
    const { modifiedCount } = await collection.updateOne(
      { _id: ambulanceId, version: doc.version },
      { $set: { ...fields, version: doc.version + 1 } },
    );
    return modifiedCount === 1;
  }

  private async announce(ambulanceId: string, entered: readonly VisitChange[], left: readonly VisitChange[]) {
    const changes = [
      ...left.map((change) => ({ change, kind: 'PLACE_LEFT' as const })),
      ...entered.map((change) => ({ change, kind: 'PLACE_ENTERED' as const })),
    ].sort((a, b) => a.change.at.getTime() - b.change.at.getTime());
    for (const { change, kind } of changes) {
      const { id, name, kind: placeKind } = change.place;
      await this.recorder.record(
        blankEvent({
          id: ambulanceEventId(ambulanceId, kind, id, change.since.toISOString()),
          ambulanceId,
          kind,
          at: change.at,
          place: { id, name, kind: placeKind },
        }),
      );
      if (kind === 'PLACE_ENTERED') await this.statuses.entered(ambulanceId, change);
    }
  }
}
