import { liveUrl } from '../api/live.connection';
import { StreamCursorDocument } from '../gql/graphql';
import type { Fleet } from '../logic/fleet.merge';
import { CrashAlertsStore } from './crash-alerts.store';
import { type DashboardState, DashboardStateCell, type TrackingPoint } from './dashboard.state';
import { DispatchStore } from './dispatch.store';
import { FleetStore } from './fleet.store';
import { LiveSubscriptions } from './live.subscriptions';
import { LiveSyncStore } from './live-sync.store';
import { ReplayStore } from './replay.store';
import { SelectionStore } from './selection.store';
import { SessionStore } from './session.store';
import { SettingsStore } from './settings.store';

/**
 * Everything the dashboard shows, kept current from queries and subscriptions. Views read it through
 * `useDashboard` and call its methods; each job is done by one of the parts composed here.
 */
export class DashboardStore {
  private readonly cell = new DashboardStateCell(Date.now());
  private readonly settings = new SettingsStore(this.cell);
  private readonly session = new SessionStore(this.cell, () => this.tokenChanged());
  private readonly live = new LiveSubscriptions(
    (what, error) => this.session.failed(what, error),
    (caughtUp) => this.cell.update({ connection: { ...this.cell.get().connection, caughtUp } }),
    async (topic) => (await this.session.read(StreamCursorDocument, { topic })).streamCursor,
  );
  private readonly fleet = new FleetStore(this.cell, this.session, this.settings, (fleet) => this.rescoped(fleet));
  private readonly crashes = new CrashAlertsStore(this.cell, this.session, this.settings);
  /** Places, unit statuses, the event log, nearest units and the shared crash acknowledgement. */
  readonly dispatch = new DispatchStore(this.session, (crashId) => this.crashes.acknowledge(crashId));
  private readonly selection = new SelectionStore(this.cell, this.session, this.settings, this.live, (point) =>
    this.fleet.receive(point),
  );
  private readonly replay = new ReplayStore(this.cell, this.session, this.settings);
  private readonly sync = new LiveSyncStore(
    this.cell,
    this.session,
    this.live,
    this.fleet,
    this.crashes,
    this.selection,
    this.dispatch,
    () => this.settings.now(),
  );
  private focusSequence = 0;

  getState = (): DashboardState => this.cell.get();

  subscribe = (listener: () => void): (() => void) => this.cell.subscribe(listener);

  /** Server-corrected current time, for ages and staleness. */
  now(): number {
    return this.settings.now();
  }

  async start(location: Location, history: History): Promise<void> {
    this.session.start(location, history);
    await this.settings.load();
    this.sync.start(liveUrl(location));
  }

  stop(): void {
    this.sync.stop();
  }

  select(ambulanceId: string | null): void {
    if (ambulanceId === this.cell.get().selectedId) return;
    this.replay.selected(ambulanceId);
    this.selection.select(ambulanceId);
  }

  /** Acknowledges here at once and for every dashboard through the server (CRASH_ACKNOWLEDGED). */
  acknowledge(crashId: string): void {
    this.crashes.acknowledge(crashId);
    void this.dispatch.acknowledgeCrash(crashId);
  }

  focusOn(latitude: number, longitude: number): void {
    this.focusSequence += 1;
    this.cell.update({ mapFocus: { latitude, longitude, sequence: this.focusSequence } });
  }

  openSignIn(): void {
    this.session.openSignIn();
  }

  closeSignIn(): void {
    this.session.closeSignIn();
  }

  signIn(text: string): boolean {
    return this.session.signIn(text);
  }

  signOut(): void {
    this.session.signOut();
  }

  loadReplay(ambulanceId: string, fromMs: number, toMs: number): Promise<void> {
    return this.replay.load(ambulanceId, fromMs, toMs);
  }

  clearReplay(): void {
    this.replay.clear();
  }

  /** The new token may see other ambulances (a partner's are listed in it): read the fleet and crashes afresh. */
  private tokenChanged(): void {
    this.fleet.tokenChanged();
    this.crashes.tokenChanged();
    this.sync.reconnect();
  }

  /** Drops what a previous token showed of ambulances the current one does not see; follows the selection again. */
  private rescoped(fleet: Fleet<TrackingPoint>): void {
    const { selectedId, replay } = this.cell.get();
    if (selectedId !== null) {
      if (!fleet.has(selectedId)) this.select(null);
      else if (!this.selection.following) this.selection.follow(selectedId);
    }
    if (replay.ambulanceId !== null && !fleet.has(replay.ambulanceId)) this.replay.clear();
    this.crashes.keepWithin(fleet);
  }
}
