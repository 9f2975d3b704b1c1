interface Task {
  run(): Promise<void>;
}

/**
 * Runs database writes one at a time. FerretDB's SQLite backend (the embedded store and the test store)
 * can deadlock when write transactions that read first (upserts) overlap, so every write of an instance
 * goes through one lane; writes are batched, so this costs little throughput on MongoDB.
 * Urgent work (storing what a device is waiting for) goes first, but a waiting background task (a small
 * projection chunk) gets every other turn, so background work cannot starve under steady load and a
 * device waits for at most one small background write.
 */
export class WriteLane {
  private readonly urgent: Task[] = [];
  private readonly background: Task[] = [];
  private busy = false;
  private backgroundOwed = false;

  run<T>(work: () => Promise<T>, priority: 'urgent' | 'background' = 'urgent'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const task: Task = { run: () => work().then(resolve, reject) };
      (priority === 'urgent' ? this.urgent : this.background).push(task);
      this.next();
    });
  }

  private next(): void {
    if (this.busy) return;
    const takeBackground = this.background.length > 0 && (this.backgroundOwed || this.urgent.length === 0);
    const task = takeBackground ? this.background.shift() : this.urgent.shift();
    if (!task) return;
    this.backgroundOwed = !takeBackground;
    this.busy = true;
    void task.run().finally(() => {
      this.busy = false;
      this.next();
    });
  }
}
