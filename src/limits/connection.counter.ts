/** Open connections per key (a source address, a token subject), up to a cap; a cap of 0 means none. */
export class ConnectionCounter {
  private readonly counts = new Map<string, number>();

  constructor(readonly max: number) {}

  /** Counts one more connection for `key`; false, and not counted, when that would pass the cap. */
  tryOpen(key: string): boolean {
    const open = this.counts.get(key) ?? 0;
    if (this.max > 0 && open >= this.max) return false;
    this.counts.set(key, open + 1);
    return true;
  }

  /** One connection counted for `key` closed. */
  close(key: string): void {
    const open = (this.counts.get(key) ?? 0) - 1;
    if (open > 0) this.counts.set(key, open);
    else this.counts.delete(key);
  }
}
