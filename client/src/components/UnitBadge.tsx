import { statusLabel, toneOf, type UnitStatus } from '../logic/unit.status';

const DESCRIPTIONS = {
  crash: 'crash reported, not acknowledged yet',
  red: 'above 120 km/h',
  orange: 'above 80 km/h',
  green: 'up to 80 km/h',
  stale: 'no current report',
} as const;

/** A unit's state by colour and by text together. */
export function UnitBadge({ status }: { status: UnitStatus }) {
  const tone = toneOf(status);
  return (
    <span
      className={`state-badge tone-${tone}`}
      title={DESCRIPTIONS[tone]}
      data-status={status.kind}
      data-state={status.kind === 'live' ? status.state : status.kind.toUpperCase()}
    >
      <span className="state-dot" aria-hidden="true" />
      {statusLabel(status)}
    </span>
  );
}
