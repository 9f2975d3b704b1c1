export interface AlertableCrash {
  readonly id: string;
  readonly recordedAt: string;
}

/**
 * Adds crashes to the standing alerts: each crash once, never one already acknowledged, newest first.
 * Returns `alerts` itself when nothing changed.
 */
export function raiseAlerts<T extends AlertableCrash>(
  alerts: readonly T[],
  crashes: readonly T[],
  acknowledged: ReadonlySet<string>,
): readonly T[] {
  const shown = new Set(alerts.map((alert) => alert.id));
  const fresh = crashes.filter((crash) => {
    if (shown.has(crash.id) || acknowledged.has(crash.id)) return false;
    shown.add(crash.id);
    return true;
  });
  if (fresh.length === 0) return alerts;
  return [...alerts, ...fresh].sort((a, b) => Date.parse(b.recordedAt) - Date.parse(a.recordedAt));
}

export function withoutAlert<T extends AlertableCrash>(alerts: readonly T[], id: string): readonly T[] {
  return alerts.filter((alert) => alert.id !== id);
}

/** Acknowledged ids worth remembering: those of crashes recent enough to be raised again on a reload. */
export function prunedAcknowledgements(
  acknowledged: ReadonlyMap<string, number>,
  nowMs: number,
  keepMs: number,
): Map<string, number> {
  return new Map([...acknowledged].filter(([, at]) => nowMs - at <= keepMs));
}

/** Acknowledgements as stored (JSON of crash id → when acknowledged); nothing when the text is unusable. */
export function parseAcknowledgements(text: string | null): Map<string, number> {
  try {
    const stored: unknown = JSON.parse(text ?? '{}');
    if (typeof stored !== 'object' || stored === null) return new Map();
    return new Map(Object.entries(stored).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
  } catch {
    return new Map();
  }
}
