import { useEffect, useMemo, useRef, useState } from 'react';
import {
  clockTime,
  createClock,
  indexAt,
  isFinished,
  PLAYBACK_RATES,
  pause,
  play,
  type ReplayClock,
  sampleAt,
  scrubScale,
  scrubValue,
  seek,
  setRate,
  type TimedPoint,
} from '../logic/replay.timing';
import { formatSpeed } from '../logic/speed.state';
import { formatDateTime, formatTime, fromLocalInputValue, toLocalInputValue } from '../logic/time.format';
import { useDashboard, useServices } from '../store/dashboard.context';
import { SpeedChart } from './SpeedChart';
import { StateBadge } from './StateBadge';

const PRESETS: ReadonlyArray<{ label: string; minutes: number }> = [
  { label: '15 min', minutes: 15 },
  { label: '1 h', minutes: 60 },
  { label: '6 h', minutes: 360 },
  { label: '24 h', minutes: 1440 },
];

/** Pick a time range, load it page by page, and play it back on the map and the chart. */
export function ReplayPanel({ ambulanceId }: { ambulanceId: string }) {
  const { store } = useServices();
  const replay = useDashboard((state) => state.replay);
  const [from, setFrom] = useState(() => toLocalInputValue(store.now() - 3_600_000));
  const [to, setTo] = useState(() => toLocalInputValue(store.now() + 60_000));
  const shown = replay.ambulanceId === ambulanceId ? replay : null;

  const load = (fromMs: number, toMs: number) => void store.loadReplay(ambulanceId, fromMs, toMs);
  const loadPreset = (minutes: number) => {
    const end = store.now() + 60_000;
    const start = end - minutes * 60_000 - 60_000;
    setFrom(toLocalInputValue(start));
    setTo(toLocalInputValue(end));
    load(start, end);
  };

  return (
    <section className="replay" aria-labelledby="replay-title" data-replay-status={shown?.status ?? 'idle'}>
      <h3 id="replay-title">History replay · {ambulanceId}</h3>
      <fieldset className="presets">
        <legend className="visually-hidden">Quick ranges</legend>
        {PRESETS.map((preset) => (
          <button key={preset.minutes} type="button" onClick={() => loadPreset(preset.minutes)}>
            <span className="preset-last">Last </span>
            {preset.label}
          </button>
        ))}
      </fieldset>
      <details className="custom-range">
        <summary>Custom range (24-hour local time)</summary>
        <form
          className="replay-range"
          onSubmit={(event) => {
            event.preventDefault();
            load(fromLocalInputValue(from), fromLocalInputValue(to));
          }}
        >
          <RangeField label="From" value={from} onChange={setFrom} />
          <RangeField label="To" value={to} onChange={setTo} />
          <button type="submit" className="primary">
            Load range
          </button>
        </form>
      </details>
      {shown?.status === 'loading' ? (
        <p role="status">Loading… {shown.loadedCount.toLocaleString()} points so far</p>
      ) : null}
      {shown?.status === 'error' ? <p className="field-error">{shown.message}</p> : null}
      {shown?.status === 'ready' ? (
        shown.points.length === 0 ? (
          <p className="muted" role="status">
            No positions between {formatDateTime(shown.fromMs)} and {formatDateTime(shown.toMs)}.
          </p>
        ) : (
          <ReplayPlayer key={`${shown.fromMs}-${shown.toMs}-${shown.points.length}`} />
        )
      ) : null}
      {shown && shown.status !== 'idle' ? (
        <button type="button" className="link-button" onClick={() => store.clearReplay()}>
          Close replay
        </button>
      ) : null}
    </section>
  );
}

function ReplayPlayer() {
  const { store, replayCursor } = useServices();
  const replay = useDashboard((state) => state.replay);
  const points = replay.points;
  const timed = useMemo<TimedPoint[]>(
    () =>
      points.map((point) => ({
        timeMs: Date.parse(point.recordedAt),
        latitude: point.latitude,
        longitude: point.longitude,
        speed: point.speed,
        state: point.state,
      })),
    [points],
  );
  const startMs = timed[0]?.timeMs ?? 0;
  const endMs = timed[timed.length - 1]?.timeMs ?? 0;
  const [clock, setClock] = useState<ReplayClock>(() => createClock(startMs, endMs, 10));
  // What the text and slider show: updated when the report or the second changes, not every frame.
  const [shown, setShown] = useState({ timeMs: startMs, index: 0 });
  const frame = useRef(0);

  // One animation loop while playing: the map marker and chart cursor move every frame, the text once a second.
  useEffect(() => {
    const publish = (wallMs: number) => {
      const current = clockTime(clock, wallMs);
      const sample = sampleAt(timed, current);
      replayCursor.set(sample ? { timeMs: current, sample } : null);
      const index = Math.max(0, indexAt(timed, current));
      setShown((previous) =>
        previous.index === index && Math.floor(previous.timeMs / 1000) === Math.floor(current / 1000)
          ? previous
          : { timeMs: current, index },
      );
      return current;
    };
    publish(performance.now());
    if (!clock.playing) return;
    const tick = () => {
      const wallMs = performance.now();
      publish(wallMs);
      if (isFinished(clock, wallMs)) {
        setClock(pause(clock, wallMs));
        return;
      }
      frame.current = requestAnimationFrame(tick);
    };
    frame.current = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame.current);
  }, [clock, timed, replayCursor]);

  useEffect(() => () => replayCursor.set(null), [replayCursor]);

  const { timeMs, index } = shown;
  const current = points[index];
  const scale = scrubScale(startMs, endMs);
  return (
    <div className="replay-player" data-replay-index={index} data-replay-playing={clock.playing}>
      <p role="status">
        {points.length.toLocaleString()} positions from {formatDateTime(startMs)} to {formatTime(endMs)}
        {replay.message ? ` — ${replay.message}` : ''}
      </p>
      <div className="replay-controls">
        <button
          type="button"
          className="primary play"
          aria-pressed={clock.playing}
          onClick={() => setClock(clock.playing ? pause(clock, performance.now()) : play(clock, performance.now()))}
        >
          {clock.playing ? 'Pause' : 'Play'}
        </button>
        <label className="inline-field">
          Speed
          <select
            value={clock.rate}
            onChange={(event) => setClock(setRate(clock, Number(event.target.value), performance.now()))}
          >
            {PLAYBACK_RATES.map((rate) => (
              <option key={rate} value={rate}>
                {rate}×
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="scrub">
        <span className="visually-hidden">Replay position</span>
        <input
          type="range"
          min={scale.min}
          max={scale.max}
          step={scale.step}
          value={scrubValue(scale, timeMs)}
          aria-valuetext={formatTime(timeMs)}
          onChange={(event) => {
            const wallMs = performance.now();
            const next = seek(clock, Number(event.target.value), wallMs);
            setClock(next);
          }}
        />
      </label>
      {current ? (
        <p className="replay-now">
          <strong>{formatTime(timeMs)}</strong> · {formatSpeed(current.speed)}{' '}
          <StateBadge state={current.state} stale={false} /> · report {index + 1} of {points.length}
        </p>
      ) : null}
      <SpeedChart points={points} />
      <button
        type="button"
        className="link-button"
        onClick={() => store.focusOn(current?.latitude ?? 0, current?.longitude ?? 0)}
      >
        Centre map on replay position
      </button>
    </div>
  );
}

/** A range end as 24-hour local text (a datetime-local field would show the browser locale's format). */
function RangeField(props: { label: string; value: string; onChange: (value: string) => void }) {
  return (
    <label>
      {props.label}
      <input
        type="text"
        inputMode="numeric"
        className="time-field"
        placeholder="YYYY-MM-DD HH:MM"
        pattern="\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}"
        title="24-hour local time: YYYY-MM-DD HH:MM"
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        required
      />
    </label>
  );
}
