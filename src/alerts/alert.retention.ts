import type { Logger } from 'pino';
import type { AlertOutboxDoc } from '../models/alert-outbox.model.js';
import type { RawCollection } from '../models/models.js';

const PRUNE_INTERVAL_MS = 3_600_000;

/**
 * Deletes delivered and failed deliveries stored more than `retentionDays` ago, hourly on every instance (a delete
 * is harmless to repeat). Pending ones are never deleted. An alert enqueued again after its document is gone would
 * be sent again, so the retention must exceed any re-enqueue (reconciliation) window.
 */
export class AlertRetention {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly outbox: RawCollection<AlertOutboxDoc>,
    private readonly retentionDays: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    const run = () => {
      this.prune().catch((error: unknown) => {
        this.logger.warn({ err: (error as Error).message }, 'could not prune old alerts; trying again in an hour');
      });
    };
    this.timer = setInterval(run, PRUNE_INTERVAL_MS);
    this.timer.unref();
    run();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Resolves to the number of deliveries deleted. */
  async prune(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.retentionDays * 86_400_000);
    const { deletedCount } = await this.outbox.deleteMany({
      state: { $in: ['delivered', 'failed'] },
      created_at: { $lt: before },
    });
    if (deletedCount > 0)
      this.logger.info({ deleted: deletedCount, retentionDays: this.retentionDays }, 'old alerts pruned');
    return deletedCount;
  }
}
