import { useState } from 'react';
import { formatDistance, formatEta, parseCoordinates, UNIT_STATUS_LABELS } from '../logic/dispatch.format';
import { formatPosition } from '../logic/time.format';
import { useServices } from '../store/dashboard.context';
import { useDispatch } from '../store/dispatch.hooks';

/** Which units are closest to a call: click the map or type a position; ranked by distance, with an ETA estimate. */
export function NearestUnits() {
  const { store } = useServices();
  const nearest = useDispatch((state) => state.nearest);
  const picking = useDispatch((state) => state.picking);
  const availableOnly = useDispatch((state) => state.availableOnly);
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState(false);
  const submit = () => {
    const point = parseCoordinates(text);
    setInvalid(point === null);
    if (point) void store.dispatch.findNearest(point.latitude, point.longitude);
  };
  return (
    <section
      className="nearest"
      aria-labelledby="nearest-title"
      data-status={nearest.status}
      data-target={nearest.target ? `${nearest.target.latitude},${nearest.target.longitude}` : ''}
    >
      <h3 id="nearest-title">Nearest units</h3>
      <form
        className="nearest-form"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <label>
          <span className="visually-hidden">Position of the call (latitude, longitude)</span>
          <input
            className="nearest-input"
            value={text}
            placeholder="latitude, longitude"
            aria-invalid={invalid}
            onChange={(event) => setText(event.target.value)}
          />
        </label>
        <button type="submit">Find</button>
        <button
          type="button"
          className="nearest-pick"
          aria-pressed={picking}
          onClick={() => store.dispatch.setPicking(!picking)}
        >
          {picking ? 'Click the map…' : 'Pick on map'}
        </button>
        <label className="nearest-available">
          <input
            type="checkbox"
            checked={availableOnly}
            onChange={(event) => store.dispatch.setAvailableOnly(event.target.checked)}
          />{' '}
          Available only
        </label>
      </form>
      {invalid ? <p className="notice">Type a latitude and a longitude, e.g. 13.75, 100.5.</p> : null}
      {nearest.target ? (
        <p className="muted">
          From {formatPosition(nearest.target.latitude, nearest.target.longitude)} (
          {availableOnly ? 'available' : 'ONLINE'} units; ETA is an estimate)
        </p>
      ) : null}
      {nearest.status === 'error' ? <p className="notice">{nearest.message}</p> : null}
      {nearest.status === 'ready' && nearest.units.length === 0 ? (
        <p className="muted">No online unit nearby.</p>
      ) : null}
      {nearest.units.length > 0 ? (
        <ol className="nearest-list">
          {nearest.units.map((unit) => (
            <li key={unit.ambulance.id} data-ambulance-id={unit.ambulance.id} data-distance={unit.distanceMeters}>
              <button type="button" className="link-button" onClick={() => store.select(unit.ambulance.id)}>
                {unit.ambulance.id}
              </button>{' '}
              <span className="unit-status" data-unit-status={unit.ambulance.status}>
                {UNIT_STATUS_LABELS[unit.ambulance.status]}
              </span>{' '}
              <span className="nearest-distance">{formatDistance(unit.distanceMeters)}</span>
              {' · '}
              <span className="nearest-eta">~{formatEta(unit.etaSeconds)}</span>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
