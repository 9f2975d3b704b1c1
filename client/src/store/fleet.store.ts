import { FleetDocument } from '../gql/graphql';
import { type Fleet, mergedFleet, withPosition } from '../logic/fleet.merge';
import { listPage, readAllPages } from '../logic/paging';
import { type DashboardStateCell, pointStamp, type TrackingPoint } from './dashboard.state';
import type { SessionStore } from './session.store';
import type { SettingsStore } from './settings.store';

/**
 * Every ambulance and its newest position. After a token change the next read replaces the fleet, as the new
 * token may see other ambulances; `onRescoped` then gets the fleet the new token sees.
 */
export class FleetStore {
  private scopeChanged = false;

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
  }

  async load(): Promise<void> {
    const replace = this.scopeChanged;
    const first = this.settings.pageSize();
    const read = await readAllPages(async (after) =>
      listPage((await this.session.read(FleetDocument, { first, after })).ambulances, first),
    );
    const fleet = mergedFleet(this.cell.get().fleet, read.nodes, replace, pointStamp);
    if (replace) {
      this.scopeChanged = false;
      this.onRescoped(fleet);
    }
    this.cell.update({ fleet, fleetLoaded: true });
  }

  receive(point: TrackingPoint): void {
    const { fleet } = this.cell.get();
    const moved = withPosition(fleet, point.ambulanceId, point, pointStamp);
    if (moved !== fleet) this.cell.update({ fleet: moved });
  }
}
