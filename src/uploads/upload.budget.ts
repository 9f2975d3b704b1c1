/**
 * Upload bytes in flight in this process: a request reserves what it declares (its Content-Length, at
 * most what its files may hold) before its body is read, grows the reservation when it sends more than it
 * declared (chunked bodies), and releases it once its files are stored or refused. A reservation that
 * would take the total past the cap is refused, so a burst of uploads cannot fill the disk or the machine.
 */
export class UploadBudget {
  private held = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes reserved by uploads in progress. */
  get inFlightBytes(): number {
    return this.held;
  }

  /** A reservation of `bytes`, or null when the cap does not leave room for it. */
  reserve(bytes: number): UploadReservation | null {
    const reservation = new UploadReservation(this);
    return reservation.growTo(bytes) ? reservation : null;
  }

  /** @internal */
  take(bytes: number): boolean {
    if (this.held + bytes > this.maxBytes) return false;
    this.held += bytes;
    return true;
  }

  /** @internal */
  give(bytes: number): void {
    this.held -= bytes;
  }
}

export class UploadReservation {
  private bytes = 0;
  private released = false;

  constructor(private readonly budget: UploadBudget) {}

  /** Makes the reservation at least `total` bytes; false when the cap does not allow it. */
  growTo(total: number): boolean {
    if (this.released) return false;
    if (total <= this.bytes) return true;
    if (!this.budget.take(total - this.bytes)) return false;
    this.bytes = total;
    return true;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.budget.give(this.bytes);
    this.bytes = 0;
  }
}
