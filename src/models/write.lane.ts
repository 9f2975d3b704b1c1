/**
 * Runs database writes one at a time, in order. FerretDB's SQLite backend (the embedded store and the
 * test store) can deadlock when write transactions that read first (upserts) overlap, so every write of
 * an instance goes through one lane; writes are batched, so the lane costs little throughput on MongoDB.
 */
export class WriteLane {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
