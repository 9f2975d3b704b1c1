import { type KeyboardEvent, type ReactNode, useRef, useState } from 'react';
import { useDashboard } from '../store/dashboard.context';
import { useMediaQuery } from '../store/media.hooks';
import { DetailPanel } from './DetailPanel';
import { DispatchPanel } from './DispatchPanel';
import { FleetList } from './FleetList';
import { ReplayPanel } from './ReplayPanel';

type TabId = 'fleet' | 'unit' | 'replay' | 'dispatch';

/** Wide enough for the fleet list to stand in its own column beside the unit's details. */
export const WIDE_QUERY = '(min-width: 1600px)';

/**
 * The fleet list, the selected unit and its replay, each one click (or arrow key) away: tabs on laptops and
 * phones; on wide screens the fleet list stays in its own column and only the unit and replay are tabs.
 */
export function SidePanel() {
  const wide = useMediaQuery(WIDE_QUERY);
  const selectedId = useDashboard((state) => state.selectedId);
  const fleetSize = useDashboard((state) => state.fleet.size);
  const [tab, setTab] = useState<TabId>('fleet');
  const [tabFor, setTabFor] = useState(selectedId);
  const tabs: ReadonlyArray<{ id: TabId; label: string }> = [
    ...(wide ? [] : [{ id: 'fleet' as const, label: `Fleet (${fleetSize})` }]),
    { id: 'unit', label: selectedId ? `Unit ${selectedId}` : 'Unit' },
    { id: 'replay', label: 'Replay' },
    { id: 'dispatch', label: 'Dispatch' },
  ];
  const shown: TabId = wide && tab === 'fleet' ? 'unit' : tab;

  // Choosing a unit shows it; closing it goes back to the list. Adjusted while rendering, not in an effect, so no
  // frame ever shows the unit's tab without a unit (or the list's with one).
  if (tabFor !== selectedId) {
    setTabFor(selectedId);
    setTab(selectedId ? 'unit' : 'fleet');
  }

  const panels: Record<TabId, ReactNode> = {
    fleet: <FleetList />,
    unit: <DetailPanel />,
    replay: selectedId ? (
      <ReplayPanel ambulanceId={selectedId} />
    ) : (
      <p className="muted">Select an ambulance to replay its history.</p>
    ),
    dispatch: <DispatchPanel />,
  };

  return (
    <aside className={`side${wide ? ' wide' : ''}`} aria-label="Fleet and unit details">
      {wide ? <div className="side-column fleet-column">{panels.fleet}</div> : null}
      <div className="side-column tabs-column">
        <Tabs tabs={tabs} shown={shown} onShow={setTab} />
        {tabs.map(({ id }) => (
          <div
            key={id}
            id={`panel-${id}`}
            className={`tab-panel tab-panel-${id}`}
            role="tabpanel"
            aria-labelledby={`tab-${id}`}
            hidden={id !== shown}
          >
            {panels[id]}
          </div>
        ))}
      </div>
    </aside>
  );
}

function Tabs(props: { tabs: ReadonlyArray<{ id: TabId; label: string }>; shown: TabId; onShow: (id: TabId) => void }) {
  const { tabs, shown, onShow } = props;
  const list = useRef<HTMLDivElement>(null);
  // Arrow keys move between tabs, as in every tab list (WAI-ARIA authoring practices).
  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    const index = tabs.findIndex((tab) => tab.id === shown);
    const next = tabs[(index + step + tabs.length) % tabs.length];
    if (!next) return;
    event.preventDefault();
    onShow(next.id);
    list.current?.querySelector<HTMLButtonElement>(`#tab-${next.id}`)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label="Side panel" ref={list} onKeyDown={onKeyDown}>
      {tabs.map((tab) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          id={`tab-${tab.id}`}
          aria-selected={tab.id === shown}
          aria-controls={`panel-${tab.id}`}
          tabIndex={tab.id === shown ? 0 : -1}
          className="tab"
          onClick={() => onShow(tab.id)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
