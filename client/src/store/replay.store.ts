import { TrackingHistoryDocument } from '../gql/graphql';
import { messageOf } from '../logic/error.message';
import { pageOf, readAllPages } from '../logic/paging';
import { mergeById } from '../logic/point.merge';
import { type DashboardStateCell, emptyReplay, pointStamp } from './dashboard.state';
import type { SessionStore } from './session.store';
import type { SettingsStore } from './settings.store';

const REPLAY_MAX_PAGES = 200;

/** The history of one ambulance over a chosen range, read in full for replay. */
export class ReplayStore {
  /** Raised by every new load, clear or selection: an older load's answer is then dropped. */
  private generation = 0;

  constructor(
    private readonly cell: DashboardStateCell,
    private readonly session: SessionStore,
    private readonly settings: SettingsStore,
  ) {}

  async load(ambulanceId: string, fromMs: number, toMs: number): Promise<void> {
    this.generation += 1;
    const generation = this.generation;
    const base = { ambulanceId, fromMs, toMs, points: [], loadedCount: 0, complete: true, message: null };
    if (Number.isNaN(fromMs) || Number.isNaN(toMs)) {
      this.cell.update({
        replay: {
          ...base,
          status: 'error',
          message: 'Write each end of the range as YYYY-MM-DD HH:MM, a day and local time that exist.',
        },
      });
      return;
    }
    if (!(toMs > fromMs)) {
      this.cell.update({
        replay: { ...base, status: 'error', message: 'The end of the range must be after its start.' },
      });
      return;
    }
    this.cell.update({ replay: { ...base, status: 'loading' } });
    const from = new Date(fromMs).toISOString();
    const to = new Date(toMs).toISOString();
    try {
      const read = await readAllPages(
        async (after) =>
          pageOf(
            (
              await this.session.read(TrackingHistoryDocument, {
                ambulanceId,
                from,
                to,
                first: this.settings.pageSize(),
                after,
              })
            ).trackingHistory,
          ),
        {
          maxPages: REPLAY_MAX_PAGES,
          onPage: (count) => {
            if (generation === this.generation)
              this.cell.update({ replay: { ...this.cell.get().replay, loadedCount: count } });
          },
        },
      );
      if (generation !== this.generation) return;
      const points = mergeById([], read.nodes, pointStamp);
      this.cell.update({
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
      if (generation !== this.generation) return;
      this.session.handleAuth(error);
      this.cell.update({
        replay: { ...base, status: 'error', message: `Could not load the history: ${messageOf(error)}` },
      });
    }
  }

  clear(): void {
    this.generation += 1;
    this.cell.update({ replay: emptyReplay });
  }

  /** Another ambulance was selected: a replay of a different one is dropped, and a load under way too. */
  selected(ambulanceId: string | null): void {
    this.generation += 1;
    if (this.cell.get().replay.ambulanceId !== ambulanceId) this.cell.update({ replay: emptyReplay });
  }
}
