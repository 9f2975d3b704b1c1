import { EventLog } from './EventLog';
import { NearestUnits } from './NearestUnits';

/** The dispatcher's tools: the nearest units to a call and the fleet's event log. */
export function DispatchPanel() {
  return (
    <div className="dispatch-panel">
      <NearestUnits />
      <EventLog />
    </div>
  );
}
