import { useState } from 'react';
import { describeEvent, EVENT_KIND_LABELS, EVENT_KIND_NAMES, type EventKindName } from '../logic/dispatch.format';
import { formatTime } from '../logic/time.format';
import { useServices } from '../store/dashboard.context';
import { useDispatch } from '../store/dispatch.hooks';

/** The fleet's dispatch log, newest first and live, filterable by kind. */
export function EventLog() {
  const { store } = useServices();
  const events = useDispatch((state) => state.events);
  const [kind, setKind] = useState<EventKindName | 'all'>('all');
  const shown = kind === 'all' ? events : events.filter((event) => event.kind === kind);
  return (
    <section className="event-log" aria-labelledby="event-log-title" data-events={shown.length}>
      <div className="panel-heading">
        <h3 id="event-log-title">Event log</h3>
        <label>
          <span className="visually-hidden">Show events of kind</span>
          <select
            className="event-kind-filter"
            value={kind}
            onChange={(event) => setKind(event.target.value as EventKindName | 'all')}
          >
            <option value="all">All kinds</option>
            {EVENT_KIND_NAMES.map((name) => (
              <option key={name} value={name}>
                {EVENT_KIND_LABELS[name]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {shown.length === 0 ? (
        <p className="muted">No events yet.</p>
      ) : (
        <ol className="event-list" aria-live="polite">
          {shown.map((event) => (
            <li key={event.id} className={`event event-${event.kind.toLowerCase()}`} data-kind={event.kind}>
              <time dateTime={event.at}>{formatTime(Date.parse(event.at))}</time>{' '}
              <button type="button" className="link-button" onClick={() => store.select(event.ambulanceId)}>
                {event.ambulanceId}
              </button>{' '}
              <span className="event-kind">{EVENT_KIND_LABELS[event.kind]}</span>{' '}
              <span className="event-text">{describeEvent(event)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
