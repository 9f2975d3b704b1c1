/**
 * Counts the items a resumed subscription replays: after a reconnection each subscription resumes from the
 * cursor of the last item it received, and the server first delivers everything stored meanwhile. Those are
 * the items stored before the moment of the resume; each is counted once, even when several subscriptions
 * deliver it (the fleet and the selected ambulance).
 */
export class CaughtUpCounter {
  private resumedAtMs: number | null = null;
  private readonly counted = new Set<string>();

  /** A reconnection: count from zero what is delivered from now on but was stored before. */
  resumed(nowMs: number): void {
    this.resumedAtMs = nowMs;
    this.counted.clear();
  }

  /** An item arrived; true when it is one more caught-up item. */
  received(id: string, storedAtMs: number): boolean {
    if (this.resumedAtMs === null || storedAtMs >= this.resumedAtMs || this.counted.has(id)) return false;
    this.counted.add(id);
    return true;
  }

  get count(): number {
    return this.counted.size;
  }
}

/** The `id`, `cursor` and stored time of the item a subscription result carries. */
export interface LiveItem {
  readonly id: string;
  readonly cursor: string | null;
  readonly storedAtMs: number;
}

/** The item a subscription result carries (its one root field), or null. */
export function itemOf(data: unknown): LiveItem | null {
  const [item] = Object.values((data ?? {}) as Record<string, unknown>);
  if (typeof item !== 'object' || item === null) return null;
  const { id, cursor, recordedAt, createdAt } = item as Record<string, unknown>;
  if (typeof id !== 'string') return null;
  const time = typeof recordedAt === 'string' ? recordedAt : typeof createdAt === 'string' ? createdAt : null;
  return { id, cursor: typeof cursor === 'string' ? cursor : null, storedAtMs: time ? Date.parse(time) : Number.NaN };
}
