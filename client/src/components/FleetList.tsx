import { memo, useCallback, useMemo, useState } from 'react';
import { formatSpeed } from '../logic/speed.state';
import { ageSeconds, formatAge } from '../logic/staleness';
import {
  lastReportText,
  matchesFilter,
  type StateFilter,
  statusLabel,
  toneOf,
  type UnitStatus,
  unitStatus,
  urgencyRank,
} from '../logic/unit.status';
import { useDashboard, useNow, useServices } from '../store/dashboard.context';
import type { FleetEntry } from '../store/dashboard.state';
import { useCrashes, useOfflineAfter, useStaleAfter } from '../store/units.hooks';
import { DispatchStatusBadge } from './DispatchStatusBadge';
import { UnitBadge } from './UnitBadge';

type SortOrder = 'id' | 'severity';

const FILTERS: ReadonlyArray<{ value: StateFilter; label: string }> = [
  { value: 'all', label: 'all states' },
  { value: 'crash', label: 'CRASH' },
  { value: 'red', label: 'RED' },
  { value: 'orange', label: 'ORANGE' },
  { value: 'green', label: 'GREEN' },
  { value: 'stale', label: 'STALE / no report' },
];

/** One collator for every sort: `localeCompare` with options builds one per call, ten thousand per redraw. */
const compareIds = new Intl.Collator(undefined, { numeric: true }).compare;

/** Every ambulance as a table row: the keyboard and screen-reader way to the fleet, and a wall-readable list. */
export function FleetList() {
  const { store } = useServices();
  const fleet = useDashboard((state) => state.fleet);
  const loaded = useDashboard((state) => state.fleetLoaded);
  const selectedId = useDashboard((state) => state.selectedId);
  const crashes = useCrashes();
  const staleAfter = useStaleAfter();
  const offlineAfter = useOfflineAfter();
  const now = useNow();
  const [order, setOrder] = useState<SortOrder>('id');
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<StateFilter>('all');
  const toggle = useCallback((id: string) => store.select(store.getState().selectedId === id ? null : id), [store]);

  const rows = useMemo(() => {
    const entries = [...fleet.values()]
      .map((entry) => ({
        entry,
        status: unitStatus(entry.position, crashes.get(entry.id), now, staleAfter, offlineAfter),
      }))
      .filter(({ entry, status }) => matchesFilter(entry.id, status, search, filter));
    return entries.sort((a, b) => {
      if (order === 'severity') {
        const byUrgency = urgencyRank(a.status) - urgencyRank(b.status);
        if (byUrgency !== 0) return byUrgency;
      }
      return compareIds(a.entry.id, b.entry.id);
    });
  }, [fleet, crashes, now, staleAfter, offlineAfter, order, search, filter]);

  return (
    <section className="fleet-list" aria-labelledby="fleet-list-title">
      <div className="panel-heading">
        <h2 id="fleet-list-title" tabIndex={-1}>
          Fleet
        </h2>
        <label className="inline-field">
          Sort
          <select value={order} onChange={(event) => setOrder(event.target.value as SortOrder)}>
            <option value="id">by ambulance</option>
            <option value="severity">most urgent first</option>
          </select>
        </label>
      </div>
      <search className="fleet-filter" aria-label="Find ambulances">
        <label className="inline-field">
          <span className="visually-hidden">Find an ambulance by id</span>
          <input
            type="search"
            className="fleet-search"
            placeholder="Find id…"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </label>
        <label className="inline-field">
          <span className="visually-hidden">Show only a state</span>
          <select
            className="fleet-state-filter"
            value={filter}
            onChange={(event) => setFilter(event.target.value as StateFilter)}
          >
            {FILTERS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      </search>
      {!loaded ? (
        <p className="muted">Loading the fleet…</p>
      ) : fleet.size === 0 ? (
        <p className="muted">No ambulance has reported yet.</p>
      ) : (
        <div className="table-scroll">
          <table data-fleet-size={fleet.size} data-shown={rows.length}>
            <thead>
              <tr>
                <th scope="col">Ambulance</th>
                <th scope="col">State</th>
                <th scope="col">Speed</th>
                <th scope="col" className="report">
                  Report
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ entry, status }) => (
                <FleetRow
                  key={entry.id}
                  entry={entry}
                  status={status}
                  age={entry.position ? formatAge(ageSeconds(entry.position.recordedAt, now)) : '–'}
                  selected={entry.id === selectedId}
                  onToggle={toggle}
                />
              ))}
            </tbody>
          </table>
          {rows.length === 0 ? <p className="muted">No ambulance matches.</p> : null}
        </div>
      )}
    </section>
  );
}

function SpeedCells({ status, age }: { status: UnitStatus; age: string }) {
  switch (status.kind) {
    case 'stale':
      return (
        <td className="speed last-report" colSpan={2}>
          {lastReportText(status.lastReportMs, status.ageSeconds, status.offline)}
        </td>
      );
    case 'crash':
      return (
        <>
          <td className="speed">–</td>
          <td className="age">{age}</td>
        </>
      );
    case 'live':
      return (
        <>
          <td className="speed">{formatSpeed(status.speed)}</td>
          <td className="age">{age}</td>
        </>
      );
    case 'none':
      return (
        <>
          <td className="speed">–</td>
          <td className="age">never</td>
        </>
      );
  }
}

interface FleetRowProps {
  entry: FleetEntry;
  status: UnitStatus;
  age: string;
  selected: boolean;
  onToggle: (id: string) => void;
}

/** What a row shows of its status: statuses are worked out afresh on every update, their text rarely changes. */
function statusText(status: UnitStatus): string {
  const detail =
    status.kind === 'stale'
      ? lastReportText(status.lastReportMs, status.ageSeconds, status.offline)
      : status.kind === 'live'
        ? String(status.speed)
        : '';
  return `${statusLabel(status)}|${detail}`;
}

const sameRow = (a: FleetRowProps, b: FleetRowProps) =>
  a.entry === b.entry &&
  a.age === b.age &&
  a.selected === b.selected &&
  a.onToggle === b.onToggle &&
  statusText(a.status) === statusText(b.status);

/** One ambulance; redrawn only when what it shows changes, so a busy fleet stays cheap to show. */
const FleetRow = memo(function FleetRow(props: FleetRowProps) {
  const { entry, status, age, selected, onToggle } = props;
  const onSelect = () => onToggle(entry.id);
  const position = entry.position;
  return (
    <tr
      className={`fleet-row tone-${toneOf(status)}${selected ? ' selected' : ''}`}
      data-ambulance-id={entry.id}
      data-state={position?.state ?? ''}
      data-status={status.kind}
      data-stale={status.kind === 'stale' || status.kind === 'none'}
      data-speed={position?.speed ?? ''}
      data-point-id={position?.id ?? ''}
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
        </button>{' '}
        <DispatchStatusBadge ambulanceId={entry.id} compact />
      </th>
      <td className="state">
        <UnitBadge status={status} />
      </td>
      <SpeedCells status={status} age={age} />
    </tr>
  );
}, sameRow);
