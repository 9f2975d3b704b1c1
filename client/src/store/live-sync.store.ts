import { liveUrl } from '../api/live.connection';
import { AmbulanceEventFeedDocument, CrashReportedDocument, FleetTrackingDocument } from '../gql/graphql';
import { type LinkStatus, withLinkStatus } from '../logic/connection.view';
import type { CrashAlertsStore } from './crash-alerts.store';
import type { DashboardStateCell } from './dashboard.state';
import type { DispatchStore } from './dispatch.store';
import type { FleetStore } from './fleet.store';
import type { LiveSubscriptions } from './live.subscriptions';
import type { SelectionStore } from './selection.store';
import type { SessionStore } from './session.store';

/** The fleet documents are projected a moment after points are stored: read them again once that has happened. */
const FLEET_SETTLE_MS = 3_000;

/**
 * Keeps the fleet, the crash alerts and the selected ambulance live: owns the live connection and re-reads what
 * was missed after each (re)connection, so the picture is complete again without a reload.
 */
export class LiveSyncStore {
  private fleetSubscriptions: Array<() => void> = [];
  private syncing: Promise<void> | null = null;
  private syncAgain = false;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly cell: DashboardStateCell,
    private readonly session: SessionStore,
    private readonly live: LiveSubscriptions,
    private readonly fleet: FleetStore,
    private readonly crashes: CrashAlertsStore,
    private readonly selection: SelectionStore,
    private readonly dispatch: DispatchStore,
    /** The server-corrected clock: what was stored before a resumption is counted by the server's times. */
    private readonly now: () => number,
  ) {}

  start(url: string): void {
    this.connect(url);
    void this.synchronise();
  }

  stop(): void {
    clearTimeout(this.settleTimer);
    this.disconnect();
  }

  /** Connects again with the current token, once started. */
  reconnect(): void {
    if (!this.live.open) return;
    this.disconnect();
    this.setLinkStatus('connecting');
    this.connect(liveUrl(window.location));
  }

  private connect(url: string): void {
    this.live.connect(url, this.cell.get().token, {
      onStatus: (status) => this.setLinkStatus(status),
      onConnected: (isFirst, serverTimeMs) => {
        // The first connection needs no read of its own: start() reads, and each subscription has read from its cursor.
        if (isFirst) return;
        const { connection } = this.cell.get();
        this.cell.update({ connection: { ...connection, reconnections: connection.reconnections + 1 } });
        // Every subscription resumes after its last item: the server delivers what was stored meanwhile. What was
        // stored before the server accepted this connection is caught up, by the server's clock (the corrected
        // local one may be off by half a round trip, and items stored just before would be missed).
        if (this.live.resume(serverTimeMs ?? this.now())) this.markSynced();
        else void this.synchronise();
      },
      onAuthProblem: (problem) => {
        this.session.showAuthProblem(problem);
        // A bare refusal of the live connection says nothing about why; the HTTP answer carries the server's reason.
        if (problem.generic)
          void this.fleet.load().catch((error: unknown) => this.session.failed('checking the token', error));
      },
      onSubscriptionRestarted: () => {
        if (!this.live.resume(this.now())) void this.synchronise();
      },
    });
    this.fleetSubscriptions = [
      this.live.subscribe(
        'TRACKING',
        FleetTrackingDocument,
        {},
        (data) => this.fleet.receive(data.trackingUpdated),
        () => this.fleet.load(),
      ),
      this.live.subscribe(
        'CRASHES',
        CrashReportedDocument,
        {},
        (data) => {
          this.fleet.heardOf(data.crashReported.ambulanceId);
          this.crashes.receive([data.crashReported]);
        },
        () => this.crashes.catchUp(),
      ),
      this.live.subscribeLive(
        AmbulanceEventFeedDocument,
        {},
        (data) => this.dispatch.receive(data.ambulanceEvent),
        () => this.dispatch.load(),
      ),
    ];
    // After a token change the selected ambulance may be outside the new token's scope: the fleet read decides.
    const { selectedId } = this.cell.get();
    if (selectedId && this.fleet.scopeKnown) this.selection.follow(selectedId);
  }

  private disconnect(): void {
    for (const release of this.fleetSubscriptions.splice(0)) release();
    this.selection.release();
    this.live.close();
  }

  private setLinkStatus(status: LinkStatus): void {
    const { connection } = this.cell.get();
    const next = withLinkStatus(connection, status, Date.now());
    if (next !== connection) this.cell.update({ connection: next });
  }

  private markSynced(): void {
    this.cell.update({ notice: null, connection: { ...this.cell.get().connection, syncedAtMs: Date.now() } });
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
          const scopeKnown = this.fleet.scopeKnown;
          if (!scopeKnown) await this.fleet.load();
          const { selectedId } = this.cell.get();
          await Promise.all([
            scopeKnown ? this.fleet.load() : Promise.resolve(),
            this.crashes.catchUp(),
            this.dispatch.load(),
            selectedId ? this.selection.catchUp(selectedId) : Promise.resolve(),
          ]);
          this.markSynced();
        } catch (error) {
          this.session.failed('reading the fleet', error);
        }
      } while (this.syncAgain);
      this.syncing = null;
    })();
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => {
      void this.fleet.load().catch(() => {});
    }, FLEET_SETTLE_MS);
    return this.syncing;
  }
}
