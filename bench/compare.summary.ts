/** The targets of the performance issue, read from compare.mjs results (one object per target and run). */
export type ScenarioName = 'dispatch' | 'fanout' | 'ingest';

export interface TargetResult {
  readonly error?: string;
  readonly warnings?: readonly string[];
  readonly subscribers?: { readonly total?: number; readonly connected?: number };
  readonly machine?: { readonly busyCores?: number };
  readonly [figure: string]: unknown;
}
export type CompareRun = Partial<Record<'legacy' | 'new', TargetResult>>;

type Goal =
  | { readonly kind: 'at most'; readonly ratio: number }
  | { readonly kind: 'at least'; readonly ratio: number }
  | { readonly kind: 'new is zero' };

export interface Row {
  readonly label: string;
  /** A dotted path into one target's result, e.g. `latencyMs.p99`. */
  readonly figure: string;
  readonly goal: Goal;
}

const row = (label: string, figure: string, goal: Goal): Row => ({ label, figure, goal });
const atMost = (ratio: number): Goal => ({ kind: 'at most', ratio });

export function scenarioRows(scenario: ScenarioName): readonly Row[] {
  switch (scenario) {
    case 'dispatch':
      return [
        row('delivery p50', 'latencyMs.p50', atMost(1)),
        row('delivery p95', 'latencyMs.p95', atMost(1)),
        row('delivery p99', 'latencyMs.p99', atMost(1)),
        row('device POST p99', 'points.httpMs.p99', atMost(1)),
        row('deliveries lost', 'deliveries.lost', { kind: 'new is zero' }),
      ];
    case 'fanout':
      return [
        row('CPU ms / 1k deliveries', 'server.cpuMsPer1kDeliveries', atMost(0.5)),
        row('delivery p99', 'latencyMs.p99', atMost(1)),
        row('deliveries lost', 'deliveries.lost', { kind: 'new is zero' }),
      ];
    case 'ingest':
      return [
        row('points accepted /s', 'points.acceptedPerS', { kind: 'at least', ratio: 4 }),
        row('accepted but not stored', 'db.missing', { kind: 'new is zero' }),
      ];
  }
}

export function figureOf(result: TargetResult | undefined, figure: string): number | null {
  let value: unknown = result;
  for (const key of figure.split('.')) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** new/legacy of one row in one run; for `new is zero` the new server's own figure. */
function measured(goal: Goal, run: CompareRun, figure: string): number | null {
  const next = figureOf(run.new, figure);
  if (goal.kind === 'new is zero') return next;
  const legacy = figureOf(run.legacy, figure);
  if (next === null || legacy === null || legacy === 0) return null;
  return next / legacy;
}

export function meets(goal: Goal, value: number | null): boolean | null {
  if (value === null) return null;
  if (goal.kind === 'new is zero') return value === 0;
  return goal.kind === 'at most' ? value <= goal.ratio : value >= goal.ratio;
}

const goalText = (goal: Goal) =>
  goal.kind === 'new is zero' ? 'new = 0' : `${goal.kind === 'at most' ? '≤' : '≥'} ${goal.ratio}×`;

const SATURATED = 'the machine was CPU-saturated';

/**
 * A run is fair when neither target's window had the machine saturated: on a shared machine the other work
 * lands on one target and not the other, and a ratio from such a run says more about the neighbours.
 */
export function isFair(run: CompareRun): boolean {
  return (['legacy', 'new'] as const).every((target) => {
    const result = run[target];
    return result !== undefined && !result.error && !(result.warnings ?? []).some((w) => w.startsWith(SATURATED));
  });
}

/**
 * Lines of a table: one row per target figure (each run's value, `*` after an unfair one, the median of the
 * fair runs, or of all when none was fair, the goal, met or not), then notes.
 */
export function summarise(
  rows: readonly Row[],
  list: readonly CompareRun[],
  fmt: (n: number, digits?: number) => string,
) {
  const lines: string[] = [];
  const show = (value: number | null) => (value === null ? '-' : fmt(value, 2));
  const fair = list.map(isFair);
  const anyFair = fair.some(Boolean);
  for (const { label, figure, goal } of rows) {
    const values = list.map((run) => measured(goal, run, figure));
    const counted = values.filter(
      (value, index): value is number => value !== null && (!anyFair || fair[index] === true),
    );
    const middle = median(counted);
    const verdict = meets(goal, middle);
    const cells = values.map((value, index) => `${show(value)}${fair[index] ? ' ' : '*'}`);
    lines.push(
      `  ${label.padEnd(26)} ${cells.join(' ').padEnd(24)} median ${show(middle).padStart(7)}  ` +
        `goal ${goalText(goal).padEnd(8)} ${verdict === null ? 'no data' : verdict ? 'met' : 'NOT met'}`,
    );
  }
  lines.push(
    anyFair
      ? '  (* the machine was saturated during that run: left out of the median)'
      : '  (the machine was saturated in every run: the median is of all of them; read it with care)',
  );
  list.forEach((run, index) => {
    for (const target of ['legacy', 'new'] as const) {
      const result = run[target];
      if (!result) continue;
      const subscribers = result.subscribers;
      const connected = subscribers ? ` connected ${subscribers.connected}/${subscribers.total},` : '';
      const notes = [result.error ? `FAILED: ${result.error}` : '', ...(result.warnings ?? [])].filter(Boolean);
      lines.push(
        `  run ${index + 1} ${target.padEnd(6)}${connected} machine busy cores ${result.machine?.busyCores ?? '-'}` +
          (notes.length ? `; ${notes.join('; ')}` : ''),
      );
    }
  });
  return lines;
}
