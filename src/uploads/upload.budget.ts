/**
 * Upload bytes in flight in this process: a request's reservation grows with the file bytes it has actually
 * sent (never with what it merely declares, so an idle or stalled connection holds nothing it has not sent) and
 * is released once its files are stored or refused. Growth that would take the total past the cap is refused,
 * so a burst of uploads cannot fill the disk or the machine.
 */
export class UploadBudget {
  private held = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes reserved by uploads in progress. */
  get inFlightBytes(): number {
    return this.held;
  }

  /** Bytes still free under the cap. */
  get freeBytes(): number {
    return this.maxBytes - this.held;
  }

  /** An empty reservation, to grow as bytes arrive. */
  open(): UploadReservation {
    return new UploadReservation(this);
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
