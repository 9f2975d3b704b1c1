import {
  AcknowledgeCrashDocument,
  type AmbulanceEventFieldsFragment,
  AmbulanceEventsDocument,
  DispatchUnitsDocument,
  NearestAmbulancesDocument,
  type NearestAmbulancesQuery,
  PlacesDocument,
  type PlacesQuery,
  SetUnitStatusDocument,
  type UnitStatus,
} from '../gql/graphql';
import { messageOf } from '../logic/error.message';
import { listPage, readAllPages } from '../logic/paging';
import { readStatuses, withNewerStatuses } from '../logic/unit.dispatch';
import { StateCell } from './dashboard.state';
import type { SessionStore } from './session.store';

export type AmbulanceEvent = AmbulanceEventFieldsFragment;
export type Place = PlacesQuery['places'][number];
export type NearbyUnit = NearestAmbulancesQuery['nearestAmbulances'][number];

export interface UnitDispatch {
  readonly status: UnitStatus;
  readonly statusSince: string | null;
  readonly statusBy: string | null;
}

export interface NearestState {
  readonly status: 'idle' | 'loading' | 'ready' | 'error';
  readonly target: { readonly latitude: number; readonly longitude: number } | null;
  readonly units: readonly NearbyUnit[];
  readonly message: string | null;
}

export interface DispatchState {
  readonly places: readonly Place[];
  readonly units: ReadonlyMap<string, UnitDispatch>;
  /** Newest first, at most EVENT_LOG_SIZE. */
  readonly events: readonly AmbulanceEvent[];
  readonly nearest: NearestState;
  /** The nearest-units tool waits for a click on the map. */
  readonly picking: boolean;
  readonly availableOnly: boolean;
  readonly problem: string | null;
}

const EVENT_LOG_SIZE = 200;
const UNITS_PAGE = 500;
const NEAREST_COUNT = 5;

/**
 * Dispatch awareness on the dashboard: places, each unit's status, the event log (live), the nearest-units tool
 * and the shared crash acknowledgement. A state of its own, beside the fleet's; views read it with useDispatch.
 */
export class DispatchStore {
  private readonly cell = new StateCell<DispatchState>({
    places: [],
    units: new Map(),
    events: [],
    nearest: { status: 'idle', target: null, units: [], message: null },
    picking: false,
    availableOnly: false,
    problem: null,
  });

  /** @param crashAcknowledged a crash was acknowledged, here or on another dashboard. */
  constructor(
    private readonly session: SessionStore,
    private readonly crashAcknowledged: (crashId: string) => void,
  ) {}

  getState = (): DispatchState => this.cell.get();

  subscribe = (listener: () => void): (() => void) => this.cell.subscribe(listener);

  private get state(): DispatchState {
    return this.cell.get();
  }

  /** Reads places, statuses and the newest events (at start and after each reconnection). */
  async load(): Promise<void> {
    const [places, units, events] = await Promise.all([
      this.session.read(PlacesDocument, {}),
      this.readUnits(),
      this.session.read(AmbulanceEventsDocument, { last: EVENT_LOG_SIZE }),
    ]);
    const loaded = events.ambulanceEvents.edges.map((edge) => edge.node).reverse();
    const known = new Set(loaded.map((event) => event.id));
    const seen = new Set(this.state.events.map((event) => event.id));
    this.update({
      places: places.places,
      units: readStatuses(units, this.state.units),
      events: [...this.state.events.filter((event) => !known.has(event.id)), ...loaded]
        .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
        .slice(0, EVENT_LOG_SIZE),
    });
    // Crashes taken on another dashboard while this one was away: their alerts come down here too.
    for (const event of loaded) {
      if (!seen.has(event.id) && event.kind === 'CRASH_ACKNOWLEDGED' && event.crashId) {
        this.crashAcknowledged(event.crashId);
      }
    }
  }

  /** A live event: logged, and applied to the unit's status or the crash alerts. */
  receive(event: AmbulanceEvent): void {
    if (this.state.events.some((known) => known.id === event.id)) return;
    let { units } = this.state;
    if (event.kind === 'STATUS_CHANGED' && event.status) {
      units = withNewerStatuses(units, [
        [event.ambulanceId, { status: event.status, statusSince: event.at, statusBy: event.by }],
      ]);
    }
    this.cell.update({ units, events: [event, ...this.state.events].slice(0, EVENT_LOG_SIZE) });
    if (event.kind === 'CRASH_ACKNOWLEDGED' && event.crashId) this.crashAcknowledged(event.crashId);
  }

  async setStatus(ambulanceId: string, status: UnitStatus, note: string | null): Promise<void> {
    try {
      const { setUnitStatus } = await this.session.read(SetUnitStatusDocument, { ambulanceId, status, note });
      this.update({ units: withNewerStatuses(this.state.units, [[ambulanceId, setUnitStatus]]), problem: null });
    } catch (error) {
      if (!this.session.handleAuth(error)) this.update({ problem: `Status not set: ${messageOf(error)}` });
    }
  }

  /** Tells every dashboard (through the server) that this crash is taken. */
  async acknowledgeCrash(crashId: string): Promise<void> {
    try {
      await this.session.read(AcknowledgeCrashDocument, { id: crashId, note: null });
    } catch (error) {
      if (!this.session.handleAuth(error)) this.update({ problem: `Acknowledgement not shared: ${messageOf(error)}` });
    }
  }

  setPicking(picking: boolean): void {
    this.update({ picking });
  }

  /** Only AVAILABLE units in the nearest-units list. */
  setAvailableOnly(availableOnly: boolean): void {
    this.update({ availableOnly });
    const { target } = this.state.nearest;
    if (target) void this.findNearest(target.latitude, target.longitude);
  }

  async findNearest(latitude: number, longitude: number): Promise<void> {
    const target = { latitude, longitude };
    const statuses: UnitStatus[] | null = this.state.availableOnly ? ['AVAILABLE'] : null;
    this.update({ picking: false, nearest: { status: 'loading', target, units: [], message: null } });
    try {
      const data = await this.session.read(NearestAmbulancesDocument, {
        latitude,
        longitude,
        first: NEAREST_COUNT,
        statuses,
      });
      if (this.state.nearest.target !== target) return;
      this.update({ nearest: { status: 'ready', target, units: data.nearestAmbulances, message: null } });
    } catch (error) {
      if (this.session.handleAuth(error) || this.state.nearest.target !== target) return;
      this.update({ nearest: { status: 'error', target, units: [], message: messageOf(error) } });
    }
  }

  private async readUnits(): Promise<Map<string, UnitDispatch>> {
    const read = await readAllPages(async (after) =>
      listPage((await this.session.read(DispatchUnitsDocument, { first: UNITS_PAGE, after })).ambulances, UNITS_PAGE),
    );
    return new Map(read.nodes.map((unit) => [unit.id, unit]));
  }

  /** What the dispatcher did shows at once; live events (`receive`) are batched. */
  private update(patch: Partial<DispatchState>): void {
    this.cell.update(patch, 'now');
  }
}
