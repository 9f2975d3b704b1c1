import { readStored, writeStored } from '../api/browser.storage';
import { CrashesDocument } from '../gql/graphql';
import { parseAcknowledgements, prunedAcknowledgements, raiseAlerts, withoutAlert } from '../logic/crash.alerts';
import { pageOf, readAllPages } from '../logic/paging';
import type { Crash, DashboardStateCell } from './dashboard.state';
import type { SessionStore } from './session.store';
import type { SettingsStore } from './settings.store';

const ACKNOWLEDGED_KEY = 'aoc.dashboard.acknowledgedCrashes';

/**
 * Crash alerts: crashes since the last one read (at first, those of the alert look-back), each raised until a
 * dispatcher acknowledges it. Acknowledgements are kept in this browser (localStorage), so a reload does not
 * raise them again.
 */
export class CrashAlertsStore {
  private cursor: { from: string; after: string | null } | null = null;
  private acknowledged = parseAcknowledgements(readStored('local', ACKNOWLEDGED_KEY));

  constructor(
    private readonly cell: DashboardStateCell,
    private readonly session: SessionStore,
    private readonly settings: SettingsStore,
  ) {}

  /** The new token may see crashes of other ambulances: read them afresh from the look-back. */
  tokenChanged(): void {
    this.cursor = null;
  }

  /** Reads the crashes stored since the last read; returns the cursor of the last one read. */
  async catchUp(): Promise<string | null> {
    const lookbackMs = this.settings.alertLookbackMinutes() * 60_000;
    this.cursor ??= { from: new Date(this.settings.now() - lookbackMs).toISOString(), after: null };
    const cursor = this.cursor;
    const read = await readAllPages(
      async (after) =>
        pageOf(
          (await this.session.read(CrashesDocument, { from: cursor.from, first: this.settings.pageSize(), after }))
            .crashes,
        ),
      { after: cursor.after },
    );
    if (this.cursor === cursor) this.cursor = { from: cursor.from, after: read.endCursor };
    this.receive(read.nodes);
    return read.endCursor ?? cursor.after;
  }

  receive(crashes: readonly Crash[]): void {
    const { alerts } = this.cell.get();
    // A crash a dispatcher acknowledged on any dashboard is not raised again.
    const open = crashes.filter((crash) => !crash.acknowledgedAt);
    const raised = raiseAlerts(alerts, open, new Set(this.acknowledged.keys()));
    if (raised !== alerts) this.cell.update({ alerts: raised });
  }

  acknowledge(crashId: string): void {
    this.acknowledged.set(crashId, Date.now());
    const keepMs = (this.settings.alertLookbackMinutes() + 24 * 60) * 60_000;
    this.acknowledged = prunedAcknowledgements(this.acknowledged, Date.now(), keepMs);
    writeStored('local', ACKNOWLEDGED_KEY, JSON.stringify(Object.fromEntries(this.acknowledged)));
    this.cell.update({ alerts: withoutAlert(this.cell.get().alerts, crashId) });
  }

  /** Drops the alerts of ambulances outside `fleet` (a previous token's). */
  keepWithin(fleet: ReadonlyMap<string, unknown>): void {
    const { alerts } = this.cell.get();
    const kept = alerts.filter((alert) => fleet.has(alert.ambulanceId));
    if (kept.length !== alerts.length) this.cell.update({ alerts: kept });
  }
}
