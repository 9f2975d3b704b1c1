import { readStored, writeStored } from '../api/browser.storage';
import { type DashboardSettings, fetchSettings } from '../api/dashboard.settings';
import { executeQuery, GraphQLRequestError } from '../api/graphql.http';
import { type LinkStatus, LiveConnection, liveUrl } from '../api/live.connection';
import {
  AmbulanceTrackingDocument,
  CrashesDocument,
  type CrashFieldsFragment,
  CrashReportedDocument,
  FleetDocument,
  FleetTrackingDocument,
  LatestSnapshotsDocument,
  type SnapshotFieldsFragment,
  SnapshotUploadedDocument,
  TrackingHistoryDocument,
  type TrackingPointFieldsFragment,
  type TypedDocumentString,
} from '../gql/graphql';
import { type AuthProblem, normaliseToken, preferredProblem, tokenFromFragment } from '../logic/auth.token';
import { prunedAcknowledgements, raiseAlerts, withoutAlert } from '../logic/crash.alerts';
import { LiveCatchUp } from '../logic/live.catchup';
import { type Page, readAllPages } from '../logic/paging';
import { mergeById, newest } from '../logic/point.merge';
import { clockOffsetMs } from '../logic/staleness';

export type TrackingPoint = TrackingPointFieldsFragment;
export type Crash = CrashFieldsFragment;
export type Snapshot = SnapshotFieldsFragment;

export interface FleetEntry {
  readonly id: string;
  readonly position: TrackingPoint | null;
}

export interface ConnectionState {
  readonly status: LinkStatus;
  /** Local time of the last status change: connected since, or disconnected since. */
  readonly sinceMs: number;
  /** When the dashboard last had a complete picture (after a load or a catch-up). */
  readonly syncedAtMs: number | null;
  readonly reconnections: number;
}

export interface DetailState {
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

export interface MapFocus {
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

const TOKEN_KEY = 'aoc.dashboard.token';
const ACKNOWLEDGED_KEY = 'aoc.dashboard.acknowledgedCrashes';
/** The live track of the selected ambulance starts this far back. */
export const LIVE_TRACK_MINUTES = 30;
const LIVE_TRACK_LIMIT = 5_000;
const SNAPSHOTS_SHOWN = 8;
/** Page size of history reads, within the server's HISTORY_MAX_PAGE_SIZE. */
const PREFERRED_PAGE_SIZE = 500;
const REPLAY_MAX_PAGES = 200;
/** The fleet documents are projected a moment after points are stored: read them again once that has happened. */
const FLEET_SETTLE_MS = 3_000;
const SETTINGS_RETRY_MS = 3_000;
/** When a (re)started subscription brings no event, its catch-up read runs this long after the start. */
const LIVE_SETTLE_MS = 2_000;
const NOTIFY_INTERVAL_MS = 50;

const pointStamp = (point: TrackingPoint) => ({ id: point.id, time: point.recordedAt });
const snapshotStamp = (snapshot: Snapshot) => ({ id: snapshot.id, time: snapshot.createdAt });

const emptyReplay: ReplayState = {
  status: 'idle',
  ambulanceId: null,
  fromMs: 0,
  toMs: 0,
  points: [],
  loadedCount: 0,
  complete: true,
  message: null,
};

function connectionPage<Node>(connection: {
  edges: ReadonlyArray<{ node: Node }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}): Page<Node> {
  return {
    nodes: connection.edges.map((edge) => edge.node),
    hasNextPage: connection.pageInfo.hasNextPage,
    endCursor: connection.pageInfo.endCursor,
  };
}

/** A read sent with a token that has since been replaced: neither its answer nor its refusal applies any more. */
class SupersededRead extends Error {
  override readonly name = 'SupersededRead';
  constructor() {
    super('the sign-in changed during the read; try again');
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Everything the dashboard shows, kept current from queries and subscriptions. Views read it through
 * `useDashboard` and call its methods; it owns the live connection and re-reads what was missed after each
 * (re)connection, so the picture is complete again without a reload.
 */
export class DashboardStore {
  private state: DashboardState;
  private readonly listeners = new Set<() => void>();
  private live: LiveConnection | null = null;
  private liveSubscriptions: Array<() => void> = [];
  private detailSubscriptions: Array<() => void> = [];
  /** One per subscription: re-reads once it is live (see LiveCatchUp), armed again at each (re)connection. */
  private readonly catchUps = new Set<LiveCatchUp>();
  private crashCursor: { from: string; after: string | null } | null = null;
  private trackCursor: { ambulanceId: string; from: string; after: string | null } | null = null;
  private snapshotCursor: { ambulanceId: string; after: string | null } | null = null;
  /** Set when the token changes: the next fleet read replaces the fleet, as the new token may see other ambulances. */
  private fleetScopeChanged = false;
  private acknowledged: Map<string, number>;
  private syncing: Promise<void> | null = null;
  private syncAgain = false;
  private replayGeneration = 0;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private focusSequence = 0;
  private notifyTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    const now = Date.now();
    this.acknowledged = this.readAcknowledged();
    this.state = {
      settings: null,
      clockOffsetMs: 0,
      connection: { status: 'connecting', sinceMs: now, syncedAtMs: null, reconnections: 0 },
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
    };
  }

  getState = (): DashboardState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private pageSize(): number {
    return Math.min(PREFERRED_PAGE_SIZE, this.state.settings?.maxPageSize ?? 100);
  }

  /** Server-corrected current time, for ages and staleness. */
  now(): number {
    return Date.now() + this.state.clockOffsetMs;
  }

  async start(location: Location, history: History): Promise<void> {
    const { token: fragmentToken, remainingHash } = tokenFromFragment(location.hash);
    if (fragmentToken) {
      writeStored('session', TOKEN_KEY, fragmentToken);
      history.replaceState(null, '', `${location.pathname}${location.search}${remainingHash}`);
    }
    this.update({ token: fragmentToken ?? readStored('session', TOKEN_KEY) });
    await this.loadSettings();
    this.connect(liveUrl(location));
    void this.synchronise();
  }

  stop(): void {
    clearTimeout(this.settleTimer);
    this.disconnect();
  }

  select(ambulanceId: string | null): void {
    if (ambulanceId === this.state.selectedId) return;
    for (const release of this.detailSubscriptions.splice(0)) release();
    this.trackCursor = null;
    this.snapshotCursor = null;
    const replay = this.state.replay.ambulanceId === ambulanceId ? this.state.replay : emptyReplay;
    this.replayGeneration += 1;
    if (ambulanceId === null) {
      this.update({ selectedId: null, detail: null, replay });
      return;
    }
    this.update({
      selectedId: ambulanceId,
      detail: { ambulanceId, track: [], trackLoaded: false, snapshots: [], snapshotsLoaded: false },
      replay,
    });
    this.subscribeDetail(ambulanceId);
    void this.catchUpDetail(ambulanceId).catch((error: unknown) => this.failed('loading the ambulance', error));
  }

  acknowledge(crashId: string): void {
    this.acknowledged.set(crashId, Date.now());
    this.writeAcknowledged();
    this.update({ alerts: withoutAlert(this.state.alerts, crashId) });
  }

  focusOn(latitude: number, longitude: number): void {
    this.focusSequence += 1;
    this.update({ mapFocus: { latitude, longitude, sequence: this.focusSequence } });
  }

  openSignIn(): void {
    this.update({ signInOpen: true });
  }

  closeSignIn(): void {
    this.update({ signInOpen: false });
  }

  signIn(text: string): boolean {
    const token = normaliseToken(text);
    if (!token) return false;
    writeStored('session', TOKEN_KEY, token);
    this.changeToken(token, false);
    return true;
  }

  signOut(): void {
    writeStored('session', TOKEN_KEY, null);
    this.changeToken(null, true);
  }

  async loadReplay(ambulanceId: string, fromMs: number, toMs: number): Promise<void> {
    this.replayGeneration += 1;
    const generation = this.replayGeneration;
    const base = { ambulanceId, fromMs, toMs, points: [], loadedCount: 0, complete: true, message: null };
    if (!(toMs > fromMs)) {
      this.update({ replay: { ...base, status: 'error', message: 'The end of the range must be after its start.' } });
      return;
    }
    this.update({ replay: { ...base, status: 'loading' } });
    const from = new Date(fromMs).toISOString();
    const to = new Date(toMs).toISOString();
    try {
      const read = await readAllPages(
        async (after) =>
          connectionPage(
            (await this.read(TrackingHistoryDocument, { ambulanceId, from, to, first: this.pageSize(), after }))
              .trackingHistory,
          ),
        {
          maxPages: REPLAY_MAX_PAGES,
          onPage: (count) => {
            if (generation === this.replayGeneration)
              this.update({ replay: { ...this.state.replay, loadedCount: count } });
          },
        },
      );
      if (generation !== this.replayGeneration) return;
      const points = mergeById([], read.nodes, pointStamp);
      this.update({
        replay: {
          ...base,
          status: 'ready',
          points,
          loadedCount: points.length,
          complete: read.complete,
          message: read.complete
            ? null
            : `Only the first ${points.length} points of this range were loaded; choose a shorter range.`,
        },
      });
    } catch (error) {
      if (generation !== this.replayGeneration) return;
      this.handleAuth(error);
      this.update({ replay: { ...base, status: 'error', message: `Could not load the history: ${messageOf(error)}` } });
    }
  }

  clearReplay(): void {
    this.replayGeneration += 1;
    this.update({ replay: emptyReplay });
  }

  private update(patch: Partial<DashboardState>): void {
    this.state = { ...this.state, ...patch };
    // A busy fleet sends hundreds of events a second: views redraw at most every NOTIFY_INTERVAL_MS.
    this.notifyTimer ??= setTimeout(() => {
      this.notifyTimer = undefined;
      for (const listener of this.listeners) listener();
    }, NOTIFY_INTERVAL_MS);
  }

  /** One query with the current token; refused with SupersededRead when the token changes before it is answered. */
  private async read<Result, Variables>(
    document: TypedDocumentString<Result, Variables>,
    variables: Variables,
  ): Promise<Result> {
    const token = this.state.token;
    const outcome = await executeQuery(document, variables, token).then(
      (data) => ({ ok: true as const, data }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    if (token !== this.state.token) throw new SupersededRead();
    if (!outcome.ok) throw outcome.error;
    return outcome.data;
  }

  private changeToken(token: string | null, signInOpen: boolean): void {
    // The new token may see other ambulances (a partner's are listed in it): read the fleet and crashes afresh.
    this.fleetScopeChanged = true;
    this.crashCursor = null;
    this.update({ token, authProblem: null, signInOpen });
    this.reconnect();
  }

  private async loadSettings(): Promise<void> {
    for (;;) {
      try {
        const settings = await fetchSettings();
        this.update({ settings, clockOffsetMs: clockOffsetMs(settings.serverTime, Date.now()) });
        return;
      } catch (error) {
        this.update({ notice: `Cannot reach the server (${messageOf(error)}); retrying…` });
        await new Promise((resolve) => setTimeout(resolve, SETTINGS_RETRY_MS));
      }
    }
  }

  private connect(url: string): void {
    this.live = new LiveConnection(url, this.state.token, {
      onStatus: (status) => this.setLinkStatus(status),
      onConnected: (isFirst) => {
        if (!isFirst)
          this.update({
            connection: { ...this.state.connection, reconnections: this.state.connection.reconnections + 1 },
          });
        this.armCatchUps();
        void this.synchronise();
      },
      onAuthProblem: (problem) => {
        this.showAuthProblem(problem);
        // A bare refusal of the live connection says nothing about why; the HTTP answer carries the server's reason.
        if (problem.generic) void this.loadFleet().catch((error: unknown) => this.failed('checking the token', error));
      },
      onSubscriptionRestarted: () => {
        this.armCatchUps();
        void this.synchronise();
      },
    });
    this.liveSubscriptions = [
      this.subscribeLive(
        FleetTrackingDocument,
        {},
        (data) => this.receivePoint(data.trackingUpdated),
        () => this.loadFleet(),
      ),
      this.subscribeLive(
        CrashReportedDocument,
        {},
        (data) => this.receiveCrashes([data.crashReported]),
        () => this.catchUpCrashes(),
      ),
    ];
    // After a token change the selected ambulance may be outside the new token's scope: the fleet read decides.
    if (this.state.selectedId && !this.fleetScopeChanged) this.subscribeDetail(this.state.selectedId);
  }

  private disconnect(): void {
    for (const release of [...this.liveSubscriptions.splice(0), ...this.detailSubscriptions.splice(0)]) release();
    this.live?.dispose();
    this.live = null;
  }

  private reconnect(): void {
    if (!this.live) return;
    this.disconnect();
    this.setLinkStatus('connecting');
    this.connect(liveUrl(window.location));
  }

  /**
   * Subscribes, merging events as they come (also while the first read runs), and re-reads with `catchUp` once
   * the subscription is live, for what was stored before the server listened (see LiveCatchUp).
   */
  private subscribeLive<Result, Variables>(
    document: TypedDocumentString<Result, Variables>,
    variables: Variables,
    onData: (data: Result) => void,
    catchUp: () => Promise<void>,
  ): () => void {
    const live = this.live;
    if (!live) return () => {};
    const catchUps = this.catchUps;
    const liveCatchUp = new LiveCatchUp(
      () => void catchUp().catch((error: unknown) => this.failed('catching up', error)),
      LIVE_SETTLE_MS,
    );
    catchUps.add(liveCatchUp);
    liveCatchUp.arm();
    const release = live.subscribe(document, variables, (data) => {
      onData(data);
      liveCatchUp.received();
    });
    return () => {
      catchUps.delete(liveCatchUp);
      liveCatchUp.dispose();
      release();
    };
  }

  private armCatchUps(): void {
    for (const catchUp of this.catchUps) catchUp.arm();
  }

  private subscribeDetail(ambulanceId: string): void {
    if (!this.live) return;
    this.detailSubscriptions = [
      this.subscribeLive(
        AmbulanceTrackingDocument,
        { ambulanceId },
        (data) => this.receiveTrack(ambulanceId, [data.trackingUpdated]),
        () => this.catchUpTrack(ambulanceId),
      ),
      this.subscribeLive(
        SnapshotUploadedDocument,
        { ambulanceId },
        (data) => this.receiveSnapshots(ambulanceId, [data.snapshotUploaded]),
        () => this.catchUpSnapshots(ambulanceId),
      ),
    ];
  }

  private setLinkStatus(status: LinkStatus): void {
    const current = this.state.connection;
    if (current.status === status) return;
    // "Reconnecting since" counts from the moment the connection was lost, not from each retry.
    const keepsSince = (current.status === 'reconnecting' || current.status === 'connecting') && status !== 'connected';
    this.update({ connection: { ...current, status, sinceMs: keepsSince ? current.sinceMs : Date.now() } });
  }

  /**
   * Reads everything a disconnected dashboard may have missed: the fleet, crashes since the last one seen, the
   * selected ambulance's points and snapshots since the last seen. Runs one at a time; a request made meanwhile
   * runs once more afterwards.
   */
  private synchronise(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      do {
        this.syncAgain = false;
        try {
          // A new token's fleet comes first: it decides whether the selected ambulance may still be read.
          const scopeKnown = !this.fleetScopeChanged;
          if (!scopeKnown) await this.loadFleet();
          await Promise.all([
            scopeKnown ? this.loadFleet() : Promise.resolve(),
            this.catchUpCrashes(),
            this.state.selectedId ? this.catchUpDetail(this.state.selectedId) : Promise.resolve(),
          ]);
          this.update({ notice: null, connection: { ...this.state.connection, syncedAtMs: Date.now() } });
        } catch (error) {
          this.failed('reading the fleet', error);
        }
      } while (this.syncAgain);
      this.syncing = null;
    })();
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => {
      void this.loadFleet().catch(() => {});
    }, FLEET_SETTLE_MS);
    return this.syncing;
  }

  private failed(what: string, error: unknown): void {
    if (this.handleAuth(error)) return;
    this.update({ notice: `Problem ${what}: ${messageOf(error)}. Retrying when the connection is back.` });
  }

  /** True when the error was a refusal (now shown) or a read the token change made moot. */
  private handleAuth(error: unknown): boolean {
    if (error instanceof SupersededRead) return true;
    const problem = error instanceof GraphQLRequestError ? error.authProblem : null;
    if (!problem) return false;
    this.showAuthProblem(problem);
    return true;
  }

  /** Any refusal means the dashboard cannot work with this token: ask for another, saying why. */
  private showAuthProblem(problem: AuthProblem): void {
    this.update({ authProblem: preferredProblem(this.state.authProblem, problem), signInOpen: true });
  }

  private async loadFleet(): Promise<void> {
    const replace = this.fleetScopeChanged;
    const data = await this.read(FleetDocument, {});
    const fleet = new Map(replace ? [] : this.state.fleet);
    for (const ambulance of data.ambulances) {
      const known = this.state.fleet.get(ambulance.id);
      const position = ambulance.lastPosition
        ? newest(known?.position, ambulance.lastPosition, pointStamp)
        : (known?.position ?? null);
      fleet.set(ambulance.id, { id: ambulance.id, position });
    }
    if (replace) {
      this.fleetScopeChanged = false;
      this.forgetOutside(fleet);
    }
    this.update({ fleet, fleetLoaded: true });
  }

  /** Drops what a previous token showed of ambulances the current one does not see; follows the selection again. */
  private forgetOutside(fleet: ReadonlyMap<string, FleetEntry>): void {
    const { alerts, selectedId, replay } = this.state;
    if (selectedId !== null) {
      if (!fleet.has(selectedId)) this.select(null);
      else if (this.detailSubscriptions.length === 0) this.subscribeDetail(selectedId);
    }
    if (replay.ambulanceId !== null && !fleet.has(replay.ambulanceId)) this.clearReplay();
    const kept = alerts.filter((alert) => fleet.has(alert.ambulanceId));
    if (kept.length !== alerts.length) this.update({ alerts: kept });
  }

  private async catchUpCrashes(): Promise<void> {
    const lookbackMs = (this.state.settings?.alertLookbackMinutes ?? 30) * 60_000;
    this.crashCursor ??= { from: new Date(this.now() - lookbackMs).toISOString(), after: null };
    const cursor = this.crashCursor;
    const read = await readAllPages(
      async (after) =>
        connectionPage(
          (await this.read(CrashesDocument, { from: cursor.from, first: this.pageSize(), after })).crashes,
        ),
      { after: cursor.after },
    );
    if (this.crashCursor === cursor) this.crashCursor = { from: cursor.from, after: read.endCursor };
    this.receiveCrashes(read.nodes);
  }

  private async catchUpDetail(ambulanceId: string): Promise<void> {
    await Promise.all([this.catchUpTrack(ambulanceId), this.catchUpSnapshots(ambulanceId)]);
  }

  private async catchUpTrack(ambulanceId: string): Promise<void> {
    if (this.trackCursor?.ambulanceId !== ambulanceId) {
      this.trackCursor = {
        ambulanceId,
        from: new Date(this.now() - LIVE_TRACK_MINUTES * 60_000).toISOString(),
        after: null,
      };
    }
    const cursor = this.trackCursor;
    const read = await readAllPages(
      async (after) =>
        connectionPage(
          (await this.read(TrackingHistoryDocument, { ambulanceId, from: cursor.from, first: this.pageSize(), after }))
            .trackingHistory,
        ),
      { after: cursor.after },
    );
    // Reads may overlap (selection, reconnection, live catch-up): each one's items are merged; only a read that
    // started from the current cursor moves it (a cursor left behind only means re-reading what is merged once).
    if (this.trackCursor === cursor) this.trackCursor = { ...cursor, after: read.endCursor ?? cursor.after };
    this.receiveTrack(ambulanceId, read.nodes, true);
  }

  private async catchUpSnapshots(ambulanceId: string): Promise<void> {
    if (this.snapshotCursor?.ambulanceId !== ambulanceId) this.snapshotCursor = { ambulanceId, after: null };
    const cursor = this.snapshotCursor;
    // Only the newest few are shown, so only those are read: at first the newest of all, after a reconnection the
    // newest of those stored since the last one read. Live ones come through the subscription meanwhile.
    const { snapshots } = await this.read(LatestSnapshotsDocument, {
      ambulanceId,
      last: Math.min(SNAPSHOTS_SHOWN, this.pageSize()),
      after: cursor.after,
    });
    if (this.snapshotCursor === cursor)
      this.snapshotCursor = { ...cursor, after: snapshots.pageInfo.endCursor ?? cursor.after };
    this.receiveSnapshots(
      ambulanceId,
      snapshots.edges.map((edge) => edge.node),
      true,
    );
  }

  private receivePoint(point: TrackingPoint): void {
    const known = this.state.fleet.get(point.ambulanceId);
    const position = newest(known?.position, point, pointStamp);
    if (known && position === known.position) return;
    const fleet = new Map(this.state.fleet);
    fleet.set(point.ambulanceId, { id: point.ambulanceId, position });
    this.update({ fleet });
  }

  private receiveCrashes(crashes: readonly Crash[]): void {
    const alerts = raiseAlerts(this.state.alerts, crashes, new Set(this.acknowledged.keys()));
    if (alerts !== this.state.alerts) this.update({ alerts });
  }

  private receiveTrack(ambulanceId: string, points: readonly TrackingPoint[], loaded = false): void {
    const detail = this.state.detail;
    if (!detail || detail.ambulanceId !== ambulanceId) return;
    for (const point of points) this.receivePoint(point);
    const track = mergeById(detail.track, points, pointStamp, LIVE_TRACK_LIMIT);
    if (track === detail.track && (detail.trackLoaded || !loaded)) return;
    this.update({ detail: { ...detail, track, trackLoaded: detail.trackLoaded || loaded } });
  }

  private receiveSnapshots(ambulanceId: string, snapshots: readonly Snapshot[], loaded = false): void {
    const detail = this.state.detail;
    if (!detail || detail.ambulanceId !== ambulanceId) return;
    const merged = mergeById(detail.snapshots, snapshots, snapshotStamp, SNAPSHOTS_SHOWN);
    if (merged === detail.snapshots && (detail.snapshotsLoaded || !loaded)) return;
    this.update({ detail: { ...detail, snapshots: merged, snapshotsLoaded: detail.snapshotsLoaded || loaded } });
  }

  private readAcknowledged(): Map<string, number> {
    try {
      const stored = JSON.parse(readStored('local', ACKNOWLEDGED_KEY) ?? '{}') as Record<string, unknown>;
      return new Map(Object.entries(stored).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
    } catch {
      return new Map();
    }
  }

  private writeAcknowledged(): void {
    const keepMs = ((this.state.settings?.alertLookbackMinutes ?? 30) + 24 * 60) * 60_000;
    this.acknowledged = prunedAcknowledgements(this.acknowledged, Date.now(), keepMs);
    writeStored('local', ACKNOWLEDGED_KEY, JSON.stringify(Object.fromEntries(this.acknowledged)));
  }
}
