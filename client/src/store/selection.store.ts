import {
  AmbulanceTrackingDocument,
  LatestSnapshotsDocument,
  SnapshotUploadedDocument,
  TrackingHistoryDocument,
} from '../gql/graphql';
import { pageOf, readAllPages } from '../logic/paging';
import { mergeById } from '../logic/point.merge';
import { type DashboardStateCell, pointStamp, type Snapshot, type TrackingPoint } from './dashboard.state';
import type { LiveSubscriptions } from './live.subscriptions';
import type { SessionStore } from './session.store';
import type { SettingsStore } from './settings.store';

/** The live track of the selected ambulance starts this far back. */
export const LIVE_TRACK_MINUTES = 30;
const LIVE_TRACK_LIMIT = 5_000;
const SNAPSHOTS_SHOWN = 8;

const snapshotStamp = (snapshot: Snapshot) => ({ id: snapshot.id, time: snapshot.createdAt });

/**
 * The selected ambulance's detail: its recent track and newest snapshots, read and then followed live. Each is
 * read on from where the last read stopped, so a catch-up after a reconnection reads only what was missed.
 */
export class SelectionStore {
  private subscriptions: Array<() => void> = [];
  private trackCursor: { ambulanceId: string; from: string; after: string | null } | null = null;
  private snapshotCursor: { ambulanceId: string; after: string | null } | null = null;

  /** @param receivePoint passes every point of the track on to the fleet. */
  constructor(
    private readonly cell: DashboardStateCell,
    private readonly session: SessionStore,
    private readonly settings: SettingsStore,
    private readonly live: LiveSubscriptions,
    private readonly receivePoint: (point: TrackingPoint) => void,
  ) {}

  /** True while the selected ambulance's subscriptions run. */
  get following(): boolean {
    return this.subscriptions.length > 0;
  }

  select(ambulanceId: string | null): void {
    this.release();
    this.trackCursor = null;
    this.snapshotCursor = null;
    if (ambulanceId === null) {
      this.cell.update({ selectedId: null, detail: null });
      return;
    }
    this.cell.update({
      selectedId: ambulanceId,
      detail: { ambulanceId, track: [], trackLoaded: false, snapshots: [], snapshotsLoaded: false },
    });
    // Following reads first, then subscribes after what it read; without a live connection only the read runs.
    this.follow(ambulanceId);
    if (!this.following) {
      void this.catchUp(ambulanceId).catch((error: unknown) => this.session.failed('loading the ambulance', error));
    }
  }

  /** Subscribes to the ambulance's points and snapshots, when the live connection is open. */
  follow(ambulanceId: string): void {
    if (!this.live.open) return;
    this.subscriptions = [
      this.live.subscribe(
        'TRACKING',
        AmbulanceTrackingDocument,
        { ambulanceId },
        (data) => this.receiveTrack(ambulanceId, [data.trackingUpdated]),
        () => this.catchUpTrack(ambulanceId),
      ),
      this.live.subscribe(
        'SNAPSHOTS',
        SnapshotUploadedDocument,
        { ambulanceId },
        (data) => this.receiveSnapshots(ambulanceId, [data.snapshotUploaded]),
        () => this.catchUpSnapshots(ambulanceId),
      ),
    ];
  }

  release(): void {
    for (const release of this.subscriptions.splice(0)) release();
  }

  async catchUp(ambulanceId: string): Promise<void> {
    await Promise.all([this.catchUpTrack(ambulanceId), this.catchUpSnapshots(ambulanceId)]);
  }

  /** Reads the points stored since the last read; returns the cursor of the last one read. */
  private async catchUpTrack(ambulanceId: string): Promise<string | null> {
    if (this.trackCursor?.ambulanceId !== ambulanceId) {
      this.trackCursor = {
        ambulanceId,
        from: new Date(this.settings.now() - LIVE_TRACK_MINUTES * 60_000).toISOString(),
        after: null,
      };
    }
    const cursor = this.trackCursor;
    const read = await readAllPages(
      async (after) =>
        pageOf(
          (
            await this.session.read(TrackingHistoryDocument, {
              ambulanceId,
              from: cursor.from,
              first: this.settings.pageSize(),
              after,
            })
          ).trackingHistory,
        ),
      { after: cursor.after },
    );
    // Reads may overlap (selection, reconnection, live catch-up): each one's items are merged; only a read that
    // started from the current cursor moves it (a cursor left behind only means re-reading what is merged once).
    if (this.trackCursor === cursor) this.trackCursor = { ...cursor, after: read.endCursor ?? cursor.after };
    this.receiveTrack(ambulanceId, read.nodes, true);
    return read.endCursor ?? cursor.after;
  }

  /** Reads the newest snapshots since the last read; returns the cursor of the newest one read. */
  private async catchUpSnapshots(ambulanceId: string): Promise<string | null> {
    if (this.snapshotCursor?.ambulanceId !== ambulanceId) this.snapshotCursor = { ambulanceId, after: null };
    const cursor = this.snapshotCursor;
    // Only the newest few are shown, so only those are read: at first the newest of all, after a reconnection the
    // newest of those stored since the last one read. Live ones come through the subscription meanwhile.
    const { snapshots } = await this.session.read(LatestSnapshotsDocument, {
      ambulanceId,
      last: Math.min(SNAPSHOTS_SHOWN, this.settings.pageSize()),
      after: cursor.after,
    });
    if (this.snapshotCursor === cursor)
      this.snapshotCursor = { ...cursor, after: snapshots.pageInfo.endCursor ?? cursor.after };
    this.receiveSnapshots(
      ambulanceId,
      snapshots.edges.map((edge) => edge.node),
      true,
    );
    return snapshots.pageInfo.endCursor ?? cursor.after;
  }

  private receiveTrack(ambulanceId: string, points: readonly TrackingPoint[], loaded = false): void {
    const { detail } = this.cell.get();
    if (!detail || detail.ambulanceId !== ambulanceId) return;
    for (const point of points) this.receivePoint(point);
    const track = mergeById(detail.track, points, pointStamp, LIVE_TRACK_LIMIT);
    if (track === detail.track && (detail.trackLoaded || !loaded)) return;
    this.cell.update({ detail: { ...detail, track, trackLoaded: detail.trackLoaded || loaded } });
  }

  private receiveSnapshots(ambulanceId: string, snapshots: readonly Snapshot[], loaded = false): void {
    const { detail } = this.cell.get();
    if (!detail || detail.ambulanceId !== ambulanceId) return;
    const merged = mergeById(detail.snapshots, snapshots, snapshotStamp, SNAPSHOTS_SHOWN);
    if (merged === detail.snapshots && (detail.snapshotsLoaded || !loaded)) return;
    this.cell.update({ detail: { ...detail, snapshots: merged, snapshotsLoaded: detail.snapshotsLoaded || loaded } });
  }
}
