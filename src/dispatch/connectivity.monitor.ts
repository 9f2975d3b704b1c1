import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { ambulanceEventId } from '../domain/ambulance-event.id.js';
import { type ConnectivityRules, connectivityEventKind, connectivityOf } from '../domain/connectivity.rules.js';
import type { LatestPositions } from '../events/latest-positions.js';
import { growingStorage } from '../infra/lru-cache.options.js';
import type { AmbulanceDoc } from '../models/ambulance.model.js';
import { ambulanceIdToString } from '../models/ambulance-id.filter.js';
import { fleetDocumentOf } from '../models/fleet.lookup.js';
import type { Models } from '../models/models.js';
import type { WriteLane } from '../models/write.lane.js';
import { type AmbulanceEventRecorder, blankEvent } from './ambulance-event.recorder.js';

/** Most ambulances whose recent ONLINE confirmation this instance remembers. */
const MAX_REMEMBERED = 10_000;

/**
 * Announces connectivity changes once across all instances, through the `connectivity` field of each fleet
 * document, changed only by compare-and-set:
 * - a periodic sweep (every instance) moves ONLINE → STALE → OFFLINE from the last report's age; the time of
 *   the change and the event id derive from the last report, so every instance decides the same;
 * - the write side moves STALE/OFFLINE → ONLINE when a report is stored (CAME_ONLINE).
 * A unit seen for the first time is set ONLINE without an event. The fleet documents are projected in rounds
 * (PROJECTION_INTERVAL_MS), so the sweep judges a unit by the later of its projected report and the newest one
 * this instance has seen live: a unit that just reported is never swept as stale.
 */
export class ConnectivityMonitor {
  /** Ambulance → when this instance last saw it stored as ONLINE (epoch ms of the report). */
  private readonly confirmed = new LRUCache<string, number>(growingStorage(MAX_REMEMBERED));
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(
    private readonly models: Models,
    private readonly lane: WriteLane,
    private readonly recorder: AmbulanceEventRecorder,
    private readonly latest: LatestPositions,
    readonly rules: ConnectivityRules,
    private readonly sweepIntervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweep()
        .catch((error: unknown) => this.logger.warn({ err: (error as Error).message }, 'connectivity sweep failed'))
        .finally(() => {
          this.sweeping = null;
        });
    }, this.sweepIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping;
  }

  /**
   * A report of the ambulance was stored. While this instance saw the unit ONLINE less than half the stale
   * threshold ago, no sweep can have moved it since (its last report is younger than the threshold), so the
   * database is not asked again.
   */
  async reported(ambulanceId: string, at: Date): Promise<void> {
    const seen = this.confirmed.get(ambulanceId);
    if (seen !== undefined && at.getTime() - seen < this.rules.staleAfterMs / 2) return;
    const ambulances = this.models.collections.ambulances;
    const doc = await fleetDocumentOf(ambulances, ambulanceId, { connectivity: 1 });
    // No fleet document yet (it is written just after the point): the next report tries again.
    if (!doc) return;
    if (doc.connectivity !== 'ONLINE') {
      const before = await this.lane.run(
        () =>
          ambulances.findOneAndUpdate(
            { _id: doc._id, connectivity: { $ne: 'ONLINE' } },
            { $set: { connectivity: 'ONLINE', connectivity_since: at } },
            // No projection: FerretDB v1 does not implement one on findAndModify.
            { returnDocument: 'before' },
          ),
        'background',
      );
      if (before?.connectivity) {
        await this.recorder.record(
          blankEvent({
            id: ambulanceEventId(ambulanceId, 'CAME_ONLINE', before.connectivity_since?.toISOString() ?? '-'),
            ambulanceId,
            kind: 'CAME_ONLINE',
            at,
            note: `was ${before.connectivity}`,
          }),
        );
      }
    }
    this.confirmed.set(ambulanceId, at.getTime());
  }

  /** Moves every unit whose last report has aged past a threshold; returns when its events are recorded. */
  async sweep(now = new Date()): Promise<void> {
    const docs = await this.models.collections.ambulances
      .find(
        {
          connectivity: { $ne: 'OFFLINE' },
          'last_position.count_datetime': { $lt: new Date(now.getTime() - this.rules.staleAfterMs) },
        },
        { projection: { _id: 1, connectivity: 1, connectivity_since: 1, 'last_position.count_datetime': 1 } },
      )
      .toArray();
    for (const doc of docs) await this.age(doc, now);
  }

  private async age(doc: AmbulanceDoc, now: Date): Promise<void> {
    const projectedAt = doc.last_position?.count_datetime ?? null;
    const ambulanceId = ambulanceIdToString(doc._id);
    const liveAt = this.latest.of(ambulanceId)?.recordedAt;
    const lastReportAt =
      liveAt !== undefined && (!projectedAt || Date.parse(liveAt) > projectedAt.getTime())
        ? new Date(liveAt)
        : projectedAt;
    const to = connectivityOf(lastReportAt, now, this.rules);
    const from = doc.connectivity;
    if (!lastReportAt || to === 'ONLINE' || to === from) return;
    this.confirmed.delete(ambulanceId);
    const changedAt = new Date(
      lastReportAt.getTime() + (to === 'STALE' ? this.rules.staleAfterMs : this.rules.offlineAfterMs),
    );
    const { modifiedCount } = await this.lane.run(
      () =>
        this.models.collections.ambulances.updateOne(
          {
            _id: doc._id,
            connectivity: from ?? { $exists: false },
            connectivity_since: doc.connectivity_since ?? { $exists: false },
            'last_position.count_datetime': projectedAt,
          },
          { $set: { connectivity: to, connectivity_since: changedAt } },
        ),
      'background',
    );
    // Units never announced (stored before this feature) take their state silently.
    if (modifiedCount === 0 || from === undefined) return;
    await this.recorder.record(
      blankEvent({
        id: ambulanceEventId(ambulanceId, connectivityEventKind(to), lastReportAt.toISOString()),
        ambulanceId,
        kind: connectivityEventKind(to),
        at: changedAt,
        note: `last report ${lastReportAt.toISOString()}`,
      }),
    );
  }
}
