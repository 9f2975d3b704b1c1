import { memo, useCallback, useMemo, useState } from 'react';
import { appearanceOf, formatSpeed, type SpeedState } from '../logic/speed.state';
import { ageSeconds, formatAge, isStale } from '../logic/staleness';
import { useDashboard, useNow, useServices } from '../store/dashboard.context';
import type { FleetEntry } from '../store/dashboard.state';
import { StateBadge } from './StateBadge';

type SortOrder = 'id' | 'severity';

const SEVERITY: Readonly<Record<SpeedState, number>> = { RED: 0, ORANGE: 1, GREEN: 2 };

function compareIds(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true });
}

/** Every ambulance as a table row: the keyboard and screen-reader way to the fleet, and a wall-readable list. */
export function FleetList() {
  const { store } = useServices();
  const fleet = useDashboard((state) => state.fleet);
  const loaded = useDashboard((state) => state.fleetLoaded);
  const selectedId = useDashboard((state) => state.selectedId);
  const staleAfter = useDashboard((state) => state.settings?.staleAfterSeconds ?? 60);
  const now = useNow();
  const [order, setOrder] = useState<SortOrder>('id');
  const toggle = useCallback((id: string) => store.select(store.getState().selectedId === id ? null : id), [store]);

  const rows = useMemo(() => {
    const entries = [...fleet.values()].map((entry) => ({
      entry,
      stale: entry.position ? isStale(entry.position.recordedAt, now, staleAfter) : true,
    }));
    return entries.sort((a, b) => {
      if (order === 'severity') {
        const byStale = Number(a.stale) - Number(b.stale);
        const bySeverity = SEVERITY[a.entry.position?.state ?? 'GREEN'] - SEVERITY[b.entry.position?.state ?? 'GREEN'];
        if (byStale !== 0) return byStale;
        if (bySeverity !== 0) return bySeverity;
      }
      return compareIds(a.entry.id, b.entry.id);
    });
  }, [fleet, now, staleAfter, order]);

  return (
    <section className="fleet-list" aria-labelledby="fleet-list-title">
      <div className="panel-heading">
        <h2 id="fleet-list-title">Fleet</h2>
        <label className="inline-field">
          Sort
          <select value={order} onChange={(event) => setOrder(event.target.value as SortOrder)}>
            <option value="id">by ambulance</option>
            <option value="severity">speeding first</option>
          </select>
        </label>
      </div>
      {!loaded ? (
        <p className="muted">Loading the fleet…</p>
      ) : rows.length === 0 ? (
        <p className="muted">No ambulance has reported yet.</p>
      ) : (
        <div className="table-scroll">
          <table data-fleet-size={rows.length}>
            <thead>
              <tr>
                <th scope="col">Ambulance</th>
                <th scope="col">State</th>
                <th scope="col">Speed</th>
                <th scope="col">Last report</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ entry, stale }) => (
                <FleetRow
                  key={entry.id}
                  entry={entry}
                  stale={stale}
                  age={entry.position ? formatAge(ageSeconds(entry.position.recordedAt, now)) : '–'}
                  selected={entry.id === selectedId}
                  onToggle={toggle}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** One ambulance; redrawn only when its own values change, so a busy fleet stays cheap to show. */
const FleetRow = memo(function FleetRow(props: {
  entry: FleetEntry;
  stale: boolean;
  age: string;
  selected: boolean;
  onToggle: (id: string) => void;
}) {
  const { entry, stale, age, selected, onToggle } = props;
  const onSelect = () => onToggle(entry.id);
  const position = entry.position;
  const state = position?.state ?? 'GREEN';
  const tone = appearanceOf(state, stale).tone;
  return (
    <tr
      className={`fleet-row tone-${tone}${selected ? ' selected' : ''}`}
      data-ambulance-id={entry.id}
      data-state={state}
      data-stale={stale}
      data-speed={position?.speed ?? ''}
      data-point-id={position?.id ?? ''}
      aria-selected={selected}
      onClick={onSelect}
    >
      <th scope="row">
        <button
          type="button"
          className="row-select"
          aria-pressed={selected}
          onClick={(event) => {
            event.stopPropagation();
            onSelect();
          }}
        >
          {entry.id}
        </button>
      </th>
      <td>{position ? <StateBadge state={state} stale={stale} /> : <span className="muted">no position</span>}</td>
      <td className="speed" data-testid="speed">
        {formatSpeed(position?.speed ?? null)}
      </td>
      <td className="age">{age}</td>
    </tr>
  );
});
