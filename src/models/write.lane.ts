interface Task {
  readonly queuedAt: number;
  run(): Promise<void>;
}

/** A background task that has waited this long takes the next turn even while urgent work is queued. */
export const BACKGROUND_MAX_WAIT_MS = 50;

/**
 * Runs database writes one at a time. FerretDB's SQLite backend (the embedded store and the test store)
 * can deadlock when write transactions that read first (upserts) overlap, so all upserts of an instance
 * share one lane (point inserts, which only write, have their own); writes are batched, so this costs
 * little throughput on MongoDB.
 * Urgent work (storing what a device is waiting for) goes first. Background work (projection, in short
 * tasks) runs when no urgent work waits, or once it has waited BACKGROUND_MAX_WAIT_MS, so it progresses
 * under any load while devices rarely wait behind it.
 */
export class WriteLane {
  private readonly urgent: Task[] = [];
  private readonly background: Task[] = [];
  private busy = false;

  run<T>(work: () => Promise<T>, priority: 'urgent' | 'background' = 'urgent'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const task: Task = { queuedAt: performance.now(), run: () => work().then(resolve, reject) };
      (priority === 'urgent' ? this.urgent : this.background).push(task);
      this.next();
    });
  }

  private next(): void {
    if (this.busy) return;
    const oldestBackground = this.background[0];
    const backgroundDue =
      oldestBackground !== undefined &&
      (this.urgent.length === 0 || performance.now() - oldestBackground.queuedAt >= BACKGROUND_MAX_WAIT_MS);
    const task = backgroundDue ? this.background.shift() : this.urgent.shift();
    if (!task) return;
    this.busy = true;
    void task.run().finally(() => {
      this.busy = false;
      this.next();
    });
  }
}
