export interface LabelBox {
  readonly id: string;
  /** Screen position of the label's top-left corner, in pixels. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Lower goes first: a crash's or the selected unit's label is kept over a calm one. */
  readonly priority: number;
}

const overlaps = (a: LabelBox, b: LabelBox) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * The labels to show so that none overlaps another: most urgent first, each kept when it overlaps none kept
 * before it. A hidden label's unit is still a coloured marker, with its label on hover and in the fleet list.
 */
export function visibleLabels(boxes: readonly LabelBox[]): Set<string> {
  const kept: LabelBox[] = [];
  const ordered = [...boxes].sort((a, b) => a.priority - b.priority || a.id.localeCompare(b.id));
  for (const box of ordered) {
    if (!kept.some((other) => overlaps(box, other))) kept.push(box);
  }
  return new Set(kept.map((box) => box.id));
}
