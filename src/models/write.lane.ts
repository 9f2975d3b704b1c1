interface Task {
  run(): Promise<void>;
}

/**
 * Runs database writes one at a time. FerretDB's SQLite backend (the embedded store and the test store)
 * can deadlock when write transactions that read first (upserts) overlap, so every write of an instance
 * goes through one lane; writes are batched, so this costs little throughput on MongoDB.
 * Urgent work (storing what a device is waiting for) always goes before background work (projections),
 * so a device waits at most for one small background write.
 */
export class WriteLane {
  private readonly urgent: Task[] = [];
  private readonly background: Task[] = [];
  private busy = false;

  run<T>(work: () => Promise<T>, priority: 'urgent' | 'background' = 'urgent'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const task: Task = { run: () => work().then(resolve, reject) };
      (priority === 'urgent' ? this.urgent : this.background).push(task);
      this.next();
    });
  }

  private next(): void {
    if (this.busy) return;
    const task = this.urgent.shift() ?? this.background.shift();
    if (!task) return;
    this.busy = true;
    void task.run().finally(() => {
      this.busy = false;
      this.next();
    });
  }
}
