import type { CrashFieldsFragment, SnapshotFieldsFragment, TrackingPointFieldsFragment } from '../gql/graphql';
import type { AuthProblem } from '../logic/auth.token';
import type { ConnectionState } from '../logic/connection.view';
import type { FleetEntry as FleetEntryOf } from '../logic/fleet.merge';
import type { DashboardSettings } from '../logic/settings.parse';

export type TrackingPoint = TrackingPointFieldsFragment;
export type Crash = CrashFieldsFragment;
export type Snapshot = SnapshotFieldsFragment;
export type FleetEntry = FleetEntryOf<TrackingPoint>;

interface DetailState {
  readonly ambulanceId: string;
  readonly track: readonly TrackingPoint[];
  readonly trackLoaded: boolean;
  readonly snapshots: readonly Snapshot[];
  readonly snapshotsLoaded: boolean;
}

export interface ReplayState {
  readonly status: 'idle' | 'loading' | 'ready' | 'error';
  readonly ambulanceId: string | null;
  readonly fromMs: number;
  readonly toMs: number;
  readonly points: readonly TrackingPoint[];
  readonly loadedCount: number;
  readonly complete: boolean;
  readonly message: string | null;
}

interface MapFocus {
  readonly latitude: number;
  readonly longitude: number;
  readonly sequence: number;
}

export interface DashboardState {
  readonly settings: DashboardSettings | null;
  readonly clockOffsetMs: number;
  readonly connection: ConnectionState;
  readonly token: string | null;
  readonly authProblem: AuthProblem | null;
  readonly signInOpen: boolean;
  readonly fleet: ReadonlyMap<string, FleetEntry>;
  readonly fleetLoaded: boolean;
  readonly alerts: readonly Crash[];
  readonly selectedId: string | null;
  readonly detail: DetailState | null;
  readonly replay: ReplayState;
  readonly mapFocus: MapFocus | null;
  readonly notice: string | null;
}

export const emptyReplay: ReplayState = {
  status: 'idle',
  ambulanceId: null,
  fromMs: 0,
  toMs: 0,
  points: [],
  loadedCount: 0,
  complete: true,
  message: null,
};

export const pointStamp = (point: TrackingPoint) => ({ id: point.id, time: point.recordedAt });

const NOTIFY_INTERVAL_MS = 50;

/** A state that store parts read and patch; views are told of changes, at most every NOTIFY_INTERVAL_MS. */
export class StateCell<State extends object> {
  private readonly listeners = new Set<() => void>();
  private notifyTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private state: State) {}

  get(): State {
    return this.state;
  }

  /**
   * `batched` (live data: a busy fleet sends hundreds of events a second) tells views at most every
   * NOTIFY_INTERVAL_MS; `now` (what a user just did, e.g. a controlled input) tells them at once.
   */
  update(patch: Partial<State>, when: 'batched' | 'now' = 'batched'): void {
    this.state = { ...this.state, ...patch };
    if (when === 'now') {
      clearTimeout(this.notifyTimer);
      this.notify();
      return;
    }
    this.notifyTimer ??= setTimeout(() => this.notify(), NOTIFY_INTERVAL_MS);
  }

  private notify(): void {
    this.notifyTimer = undefined;
    for (const listener of this.listeners) listener();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The dashboard state every store part reads and patches. */
export class DashboardStateCell extends StateCell<DashboardState> {
  constructor(nowMs: number) {
    super({
      settings: null,
      clockOffsetMs: 0,
      connection: { status: 'connecting', sinceMs: nowMs, syncedAtMs: null, reconnections: 0, caughtUp: 0 },
      token: null,
      authProblem: null,
      signInOpen: false,
      fleet: new Map(),
      fleetLoaded: false,
      alerts: [],
      selectedId: null,
      detail: null,
      replay: emptyReplay,
      mapFocus: null,
      notice: null,
    });
  }
}
