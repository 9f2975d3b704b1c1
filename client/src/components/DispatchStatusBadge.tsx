import { UNIT_STATUS_LABELS } from '../logic/dispatch.format';
import { useDispatch } from '../store/dispatch.hooks';

/** A unit's dispatch status (AVAILABLE until set or inferred), as a small word badge. */
export function DispatchStatusBadge({ ambulanceId }: { ambulanceId: string }) {
  const status = useDispatch((state) => state.units.get(ambulanceId)?.status ?? 'AVAILABLE');
  return (
    <span className={`unit-status unit-status-${status.toLowerCase()}`} data-unit-status={status}>
      {UNIT_STATUS_LABELS[status]}
    </span>
  );
}
