import { UNIT_STATUS_LABELS, UNIT_STATUS_SHORT } from '../logic/dispatch.format';
import { useDispatch } from '../store/dispatch.hooks';

/**
 * A unit's dispatch status (AVAILABLE until set or inferred), as a small word badge; `compact` shows a three-letter
 * form (full word as its title), for the fleet list's one-line rows.
 */
export function DispatchStatusBadge({ ambulanceId, compact = false }: { ambulanceId: string; compact?: boolean }) {
  const status = useDispatch((state) => state.units.get(ambulanceId)?.status ?? 'AVAILABLE');
  return (
    <span
      className={`unit-status unit-status-${status.toLowerCase()}`}
      data-unit-status={status}
      title={compact ? UNIT_STATUS_LABELS[status] : undefined}
    >
      {compact ? UNIT_STATUS_SHORT[status] : UNIT_STATUS_LABELS[status]}
    </span>
  );
}
