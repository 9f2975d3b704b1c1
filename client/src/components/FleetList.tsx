import { defaultRangeExtractor, type Range, useVirtualizer } from '@tanstack/react-virtual';
import { type FocusEvent, memo, type ReactNode, useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { idRanks } from '../logic/id.order';
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

/** A row's height before it is measured (one line at the default font size); rows measure themselves once shown. */
const ROW_ESTIMATE_PX = 30;
/** Rows kept in the page beyond the visible ones, so that Tab and scrolling find the next rows already there. */
const OVERSCAN_ROWS = 12;
/** The element that scrolls the list: the fleet column on wide screens, the fleet tab's panel otherwise. */
const SCROLLER = '.fleet-column, .tab-panel';

/**
 * Every ambulance as a table row: the keyboard and screen-reader way to the fleet, and a wall-readable list.
 * Only the rows in view (and a few around them) are in the page, so a fleet of thousands costs as much as a
 * screenful; the table says how many rows it has (aria-rowcount) and where each shown row is (aria-rowindex).
 */
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

  const ranksRef = useRef<ReadonlyMap<string, number> | null>(null);
  const rows = useMemo(() => {
    const ranks = idRanks([...fleet.keys()], ranksRef.current);
    ranksRef.current = ranks;
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
      return (ranks.get(a.entry.id) ?? 0) - (ranks.get(b.entry.id) ?? 0);
    });
  }, [fleet, crashes, now, staleAfter, offlineAfter, order, search, filter]);

  const [body, setBody] = useState<HTMLTableSectionElement | null>(null);
  const scroller = body?.closest<HTMLElement>(SCROLLER) ?? null;
  const scrollMargin = useScrollMargin(body, scroller);
  // The row holding the keyboard focus stays in the page when it scrolls out of view, so focus is never lost.
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const focusedIndex = focusedId === null ? -1 : rows.findIndex((row) => row.entry.id === focusedId);
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (focusedIndex < 0 || indexes.includes(focusedIndex)) return indexes;
      return [...indexes, focusedIndex].sort((a, b) => a - b);
    },
    [focusedIndex],
  );
  const onFocus = useCallback((event: FocusEvent<HTMLTableSectionElement>) => {
    const row = (event.target as HTMLElement).closest<HTMLElement>('tr[data-ambulance-id]');
    setFocusedId(row?.dataset.ambulanceId ?? null);
  }, []);
  const onBlur = useCallback((event: FocusEvent<HTMLTableSectionElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setFocusedId(null);
  }, []);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller,
    estimateSize: () => ROW_ESTIMATE_PX,
    overscan: OVERSCAN_ROWS,
    scrollMargin,
    rangeExtractor,
    getItemKey: (index) => rows[index]?.entry.id ?? index,
  });
  // The rows in the page, with spacers standing in for the rows between and around them.
  const shownRows: ReactNode[] = [];
  let reached = scrollMargin;
  let rendered = 0;
  for (const item of virtualizer.getVirtualItems()) {
    const row = rows[item.index];
    if (!row) continue;
    if (item.start > reached) shownRows.push(<Spacer key={`before-${item.index}`} height={item.start - reached} />);
    reached = item.end;
    rendered += 1;
    const { entry, status } = row;
    shownRows.push(
      <FleetRow
        key={entry.id}
        index={item.index}
        measure={virtualizer.measureElement}
        entry={entry}
        status={status}
        age={entry.position ? formatAge(ageSeconds(entry.position.recordedAt, now)) : '–'}
        selected={entry.id === selectedId}
        onToggle={toggle}
      />,
    );
  }
  const end = scrollMargin + virtualizer.getTotalSize();
  if (end > reached) shownRows.push(<Spacer key="after" height={end - reached} />);

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
          <table
            data-fleet-size={fleet.size}
            data-shown={rows.length}
            data-rendered={rendered}
            aria-rowcount={rows.length + 1}
          >
            <thead>
              <tr aria-rowindex={1}>
                <th scope="col">Ambulance</th>
                <th scope="col">State</th>
                <th scope="col">Speed</th>
                <th scope="col" className="report">
                  Report
                </th>
              </tr>
            </thead>
            <tbody ref={setBody} onFocus={onFocus} onBlur={onBlur}>
              {shownRows}
            </tbody>
          </table>
          {rows.length === 0 ? <p className="muted">No ambulance matches.</p> : null}
        </div>
      )}
    </section>
  );
}

/** Where the list's rows start inside the element that scrolls it (the heading and filters come first). */
function useScrollMargin(body: HTMLElement | null, scroller: HTMLElement | null): number {
  const [margin, setMargin] = useState(0);
  useLayoutEffect(() => {
    if (!body || !scroller) return;
    const measure = () => {
      // A hidden tab panel has no layout: keep the last margin until it is shown again.
      if (scroller.clientHeight === 0) return;
      const offset = body.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
      setMargin((known) => (Math.abs(known - offset) >= 1 ? Math.round(offset) : known));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(scroller);
    return () => observer.disconnect();
  }, [body, scroller]);
  return margin;
}

/** Stands in for the rows scrolled out of view, so the scroll bar and the rows' places stay right. */
function Spacer({ height }: { height: number }) {
  return (
    <tr className="fleet-spacer" style={{ height }}>
      <td colSpan={4} aria-hidden="true" />
    </tr>
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
  /** The row's place in the sorted and filtered list (0 first). */
  index: number;
  measure: (row: HTMLTableRowElement | null) => void;
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
  a.index === b.index &&
  a.measure === b.measure &&
  a.entry === b.entry &&
  a.age === b.age &&
  a.selected === b.selected &&
  a.onToggle === b.onToggle &&
  statusText(a.status) === statusText(b.status);

/** One ambulance; redrawn only when what it shows changes, so a busy fleet stays cheap to show. */
const FleetRow = memo(function FleetRow(props: FleetRowProps) {
  const { index, measure, entry, status, age, selected, onToggle } = props;
  const onSelect = () => onToggle(entry.id);
  const position = entry.position;
  return (
    <tr
      ref={measure}
      data-index={index}
      aria-rowindex={index + 2}
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
