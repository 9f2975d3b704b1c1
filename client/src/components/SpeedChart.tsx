import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { ORANGE_ABOVE_KMH, RED_ABOVE_KMH, STATE_COLOURS } from '../logic/speed.state';
import { formatClock, formatTime } from '../logic/time.format';
import { useServices } from '../store/dashboard.context';
import type { TrackingPoint } from '../store/dashboard.state';

function remInPixels(): number {
  return Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

/** At most 11 rem tall, less on short screens, so the chart fits beside the replay controls. */
function chartHeight(): number {
  const rem = remInPixels();
  return Math.round(Math.min(11 * rem, Math.max(6 * rem, 0.16 * window.innerHeight)));
}

/** Speed over time for the replayed range, with the 80 and 120 km/h thresholds and the replay position. */
export function SpeedChart({ points }: { points: readonly TrackingPoint[] }) {
  const { replayCursor } = useServices();
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = container.current;
    if (!element || points.length === 0) return;
    const times = points.map((point) => Date.parse(point.recordedAt) / 1000);
    const speeds = points.map((point) => point.speed);
    const data: uPlot.AlignedData = [times, speeds, times.map(() => ORANGE_ABOVE_KMH), times.map(() => RED_ABOVE_KMH)];
    const axis = {
      font: `${Math.round(0.75 * remInPixels())}px system-ui, sans-serif`,
      stroke: '#d7e0ee',
      grid: { stroke: '#2b3648', width: 1 },
      ticks: { stroke: '#3a4a63' },
    };
    const chart = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height: chartHeight(),
        legend: { show: false },
        cursor: { drag: { x: false, y: false }, points: { show: false } },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(140, (max ?? 0) * 1.1)] } },
        axes: [
          {
            ...axis,
            // Room for "14:05:09" between ticks.
            space: Math.round(6 * remInPixels()),
            // The dashboard's one time format (24-hour), not uPlot's locale-dependent default.
            values: (_u: uPlot, splits: number[], _axis: number, _space: number, increment: number) =>
              splits.map((seconds) => (increment < 60 ? formatTime(seconds * 1000) : formatClock(seconds * 1000))),
          },
          { ...axis, label: 'km/h', size: 56 },
        ],
        series: [
          {},
          {
            label: 'Speed',
            stroke: '#e8f1ff',
            width: 2,
            points: { show: points.length < 200, size: 5 },
            spanGaps: true,
          },
          { label: '80 km/h', stroke: STATE_COLOURS.orange, width: 2, dash: [8, 6], points: { show: false } },
          { label: '120 km/h', stroke: STATE_COLOURS.red, width: 2, dash: [8, 6], points: { show: false } },
        ],
      },
      data,
      element,
    );
    const marker = document.createElement('div');
    marker.className = 'chart-position';
    chart.over.appendChild(marker);
    const releaseCursor = replayCursor.subscribe((value) => {
      if (!value) {
        marker.hidden = true;
        return;
      }
      marker.hidden = false;
      marker.style.left = `${chart.valToPos(value.timeMs / 1000, 'x')}px`;
    });
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(200, element.clientWidth), height: chart.height }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      releaseCursor();
      chart.destroy();
    };
  }, [points, replayCursor]);

  const speeds = points.map((point) => point.speed ?? 0);
  const max = speeds.length > 0 ? Math.max(...speeds) : 0;
  const over80 = speeds.filter((speed) => speed > ORANGE_ABOVE_KMH).length;
  const over120 = speeds.filter((speed) => speed > RED_ABOVE_KMH).length;
  return (
    <figure className="speed-chart" data-chart-points={points.length}>
      <div ref={container} className="speed-chart-plot" aria-hidden="true" />
      <figcaption>
        Speed over time (dashed: 80 km/h in orange, 120 km/h in red). Highest {Math.round(max)} km/h; {over80} of{' '}
        {points.length} reports above 80 km/h, {over120} above 120 km/h.
      </figcaption>
    </figure>
  );
}
