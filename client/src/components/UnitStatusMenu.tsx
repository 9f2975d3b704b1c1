import { useState } from 'react';
import { UNIT_STATUS_LABELS, UNIT_STATUS_NAMES, type UnitStatusName } from '../logic/dispatch.format';
import { formatClock } from '../logic/time.format';
import { useServices } from '../store/dashboard.context';
import { useDispatch } from '../store/dispatch.hooks';
import { DispatchStatusBadge } from './DispatchStatusBadge';

/** The selected unit's status, with who set it and when, and a menu to set it by hand. */
export function UnitStatusMenu({ ambulanceId }: { ambulanceId: string }) {
  const { store } = useServices();
  const unit = useDispatch((state) => state.units.get(ambulanceId));
  const problem = useDispatch((state) => state.problem);
  const [busy, setBusy] = useState(false);
  const current = unit?.status ?? 'AVAILABLE';
  const set = async (status: UnitStatusName) => {
    if (status === current) return;
    setBusy(true);
    await store.dispatch.setStatus(ambulanceId, status, null);
    setBusy(false);
  };
  return (
    <div className="unit-status-menu" data-ambulance-id={ambulanceId}>
      <DispatchStatusBadge ambulanceId={ambulanceId} />
      {unit?.statusSince ? (
        <span className="muted unit-status-since">
          since {formatClock(Date.parse(unit.statusSince))}
          {unit.statusBy ? ` · ${unit.statusBy}` : ''}
        </span>
      ) : null}
      <label>
        <span className="visually-hidden">Set the status of ambulance {ambulanceId}</span>
        <select
          className="unit-status-select"
          value={current}
          disabled={busy}
          onChange={(event) => void set(event.target.value as UnitStatusName)}
        >
          {UNIT_STATUS_NAMES.map((name) => (
            <option key={name} value={name}>
              {UNIT_STATUS_LABELS[name]}
            </option>
          ))}
        </select>
      </label>
      {problem ? <p className="notice">{problem}</p> : null}
    </div>
  );
}
