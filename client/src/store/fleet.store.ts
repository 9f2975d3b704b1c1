import { FleetDocument } from '../gql/graphql';
import { type Fleet, mergedFleet, withPositions } from '../logic/fleet.merge';
import { listPage, readAllPages } from '../logic/paging';
import { type DashboardStateCell, pointStamp, type TrackingPoint } from './dashboard.state';
import type { SessionStore } from './session.store';
import type { SettingsStore } from './settings.store';

/**
 * Live positions are applied this often at most: each unit reports about once a second, so ten redraws a second
 * show every report promptly, while a thousand units cost ten renders a second, not one per report (bench:dashboard,
 * docs/performance.md).
 */
const RECEIVE_BATCH_MS = 100;

/**
 * Every ambulance and its newest position. After a token change the next read replaces the fleet, as the new
 * token may see other ambulances; `onRescoped` then gets the fleet the new token sees.
 */
export class FleetStore {
  private scopeChanged = false;
  /** Counts token changes: a read started under an earlier token must not be merged into the new token's fleet. */
  private tokenGeneration = 0;
  private received: Array<[string, TrackingPoint]> = [];
  private receiveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly cell: DashboardStateCell,
    private readonly session: SessionStore,
    private readonly settings: SettingsStore,
    private readonly onRescoped: (fleet: Fleet<TrackingPoint>) => void,
  ) {}

  /** False from a token change until the fleet has been read with the new token. */
  get scopeKnown(): boolean {
    return !this.scopeChanged;
  }

  tokenChanged(): void {
    this.scopeChanged = true;
    this.tokenGeneration += 1;
  }

  async load(): Promise<void> {
    const generation = this.tokenGeneration;
    const replace = this.scopeChanged;
    const first = this.settings.pageSize();
    const read = await readAllPages(async (after) =>
      listPage((await this.session.read(FleetDocument, { first, after })).ambulances, first),
    );
    if (generation !== this.tokenGeneration) return;
    // Live positions still waiting for their batch are merged first, as they would have been one by one.
    clearTimeout(this.receiveTimer);
    this.applyReceived();
    const fleet = mergedFleet(this.cell.get().fleet, read.nodes, replace, pointStamp);
    if (replace) {
      this.scopeChanged = false;
      this.onRescoped(fleet);
    }
    this.cell.update({ fleet, fleetLoaded: true });
  }

  /**
   * A unit heard of by other means than a position (its first report was a crash): listed at once, as a read of
   * the fleet would list it, without waiting for a position or the next read.
   */
  heardOf(ambulanceId: string): void {
    const { fleet } = this.cell.get();
    if (fleet.has(ambulanceId)) return;
    this.cell.update({ fleet: new Map(fleet).set(ambulanceId, { id: ambulanceId, position: null }) });
  }

  /** Live positions are applied in batches, at most every RECEIVE_BATCH_MS. */
  receive(point: TrackingPoint): void {
    this.received.push([point.ambulanceId, point]);
    this.receiveTimer ??= setTimeout(() => this.applyReceived(), RECEIVE_BATCH_MS);
  }

  private applyReceived(): void {
    this.receiveTimer = undefined;
    const points = this.received;
    this.received = [];
    const { fleet } = this.cell.get();
    const moved = withPositions(fleet, points, pointStamp);
    if (moved !== fleet) this.cell.update({ fleet: moved });
  }
}
