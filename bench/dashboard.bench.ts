/**
 * Dashboard smoothness: Chromium showing a fleet of 1,000 ambulances, each reporting once a second, while the
 * frame times are recorded in the page (intervals between requestAnimationFrame callbacks). Prints p50, p95,
 * p99 and max, with long tasks and how far the fleet list lagged. Run by hand: `npm run bench:dashboard`.
 * Knobs: BENCH_AMBULANCES (1000), BENCH_SECONDS (30), BENCH_WARMUP_SECONDS (5), BENCH_VIEWPORT (1920x1080),
 * BENCH_CPU_PROFILE (a file: the page's CPU profile over the measurement, for Chrome DevTools; the functions with
 * the most self time are printed), BENCH_TRACE (a file: a Chromium trace of the measurement, for DevTools'
 * Performance panel; the main thread's busiest kinds of work are printed: script, style, layout, paint…).
 */
import { writeFile } from 'node:fs/promises';
import { Pool } from 'undici';
import { fleetRow, launchBrowser, openDashboard } from '../test/helpers/browser.js';
import { fmt, percentile, say, startBenchServer } from './bench.server.js';

const AMBULANCES = Number(process.env.BENCH_AMBULANCES ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const PROFILE_FILE = process.env.BENCH_CPU_PROFILE;
const TRACE_FILE = process.env.BENCH_TRACE;
const [WIDTH, HEIGHT] = (process.env.BENCH_VIEWPORT ?? '1920x1080').split('x').map(Number) as [number, number];

/** What the page keeps while it is being measured (in-page code is typed without the DOM library). */
interface FrameRecorder {
  frames: number[];
  longTasks: number;
  recording: boolean;
}
interface PageScope {
  __frames?: FrameRecorder;
  requestAnimationFrame(callback: (time: number) => void): number;
  PerformanceObserver: new (
    callback: (list: { getEntries(): unknown[] }) => void,
  ) => { observe(options: { type: string }): void };
}

const server = await startBenchServer();
// A failed run (a timeout on a busy machine) still stops the server and the FerretDB it started.
process.once('uncaughtException', (error) => {
  console.error(error);
  void server.stop().finally(() => process.exit(1));
});
const pool = new Pool(server.url, { connections: 32 });
let posted = 0;
let failed = 0;
let tick = 0;

/** Ambulances on a grid around Montréal, each drifting north-east, at speeds that cover GREEN, ORANGE and RED. */
async function post(ambulance: number, step: number): Promise<void> {
  const response = await pool.request({
    path: '/api/tracking/postAmbulanceTracking',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      ambulance_id: `D${ambulance}`,
      tracking_latitude: 45.35 + (ambulance % 40) * 0.012 + step * 0.00005,
      tracking_longitude: -73.95 + Math.floor(ambulance / 40) * 0.03 + step * 0.00005,
      tracking_speed: (ambulance * 7 + step) % 150,
      tracking_heading: (ambulance * 13 + step) % 360,
    }),
  });
  await response.body.dump();
  if (response.statusCode === 200) posted += 1;
  else failed += 1;
}

say(`dashboard: ${AMBULANCES} ambulances reporting 1/s, Chromium at ${WIDTH}×${HEIGHT}, ${SECONDS} s measured`);
await Promise.all(Array.from({ length: AMBULANCES }, (_, ambulance) => post(ambulance, 0)));
const browser = await launchBrowser();
const dashboard = await openDashboard(browser, server.url, {
  hash: `#token=${server.dispatcherToken}`,
  viewport: { width: WIDTH, height: HEIGHT },
});
const { page } = dashboard;
await page.locator(`table[data-fleet-size="${AMBULANCES}"]`).waitFor({ timeout: 60_000 });

// Each ambulance reports once a second, spread evenly over the second, until told to stop.
let running = true;
const inflight = new Set<Promise<void>>();
const generator = (async () => {
  const started = performance.now();
  for (let n = 0; running; n += 1) {
    const due = started + (n * 1000) / AMBULANCES;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    tick = 1 + Math.floor(n / AMBULANCES);
    const request = post(n % AMBULANCES, tick).finally(() => inflight.delete(request));
    inflight.add(request);
  }
})();

await new Promise((resolve) => setTimeout(resolve, WARMUP_SECONDS * 1000));
await page.evaluate(() => {
  const scope = globalThis as unknown as PageScope;
  const recorder: FrameRecorder = { frames: [], longTasks: 0, recording: true };
  scope.__frames = recorder;
  new scope.PerformanceObserver((list) => {
    recorder.longTasks += list.getEntries().length;
  }).observe({ type: 'longtask' });
  let last = -1;
  const frame = (time: number) => {
    if (!recorder.recording) return;
    if (last >= 0) recorder.frames.push(time - last);
    last = time;
    scope.requestAnimationFrame(frame);
  };
  scope.requestAnimationFrame(frame);
});
const profiler = PROFILE_FILE ? await startProfile(page) : null;
if (TRACE_FILE) await browser.startTracing(page, { path: TRACE_FILE, categories: ['devtools.timeline'] });
const postedBefore = posted;
await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
const profile = await profiler?.stop();
const trace = TRACE_FILE ? await browser.stopTracing() : null;
const recorded = await page.evaluate(() => {
  const recorder = (globalThis as unknown as PageScope).__frames as FrameRecorder;
  recorder.recording = false;
  return { frames: recorder.frames, longTasks: recorder.longTasks };
});
const postedDuring = posted - postedBefore;
const lastTick = tick;
running = false;
await generator;
await Promise.all(inflight);
// How current the list is: the step shown for one ambulance against the last step sent for it.
const shownSpeed = Number(await fleetRow(page, 'D0').getAttribute('data-speed'));
const frames = [...recorded.frames].sort((a, b) => a - b);
const total = recorded.frames.reduce((sum, value) => sum + value, 0);
await dashboard.close();
await browser.close();
await pool.close();
await server.stop();

say(`  reports:       ${postedDuring} during the measurement (${fmt(postedDuring / SECONDS, 0)}/s), ${failed} failed`);
say(
  `  frame times:   p50 ${fmt(percentile(frames, 50))} ms, p95 ${fmt(percentile(frames, 95))} ms, ` +
    `p99 ${fmt(percentile(frames, 99))} ms, max ${fmt(frames.at(-1) ?? Number.NaN)} ms ` +
    `(${frames.length} frames, ${fmt(frames.length / (total / 1000))} fps)`,
);
say(`  long tasks:    ${recorded.longTasks} (main thread busy > 50 ms)`);
say(`  D0 speed shown at the end: ${shownSpeed} km/h (last sent step ${lastTick}, speed ${lastTick % 150} km/h)`);
if (trace) {
  say(`  trace:         ${TRACE_FILE}; main thread, most time:`);
  for (const [name, ms] of mainThreadTimes(trace).slice(0, 12)) say(`    ${fmt(ms, 0).padStart(7)} ms  ${name}`);
}
if (profile && PROFILE_FILE) {
  await writeFile(PROFILE_FILE, JSON.stringify(profile));
  say(`  CPU profile:   ${PROFILE_FILE}; most self time:`);
  for (const [name, ms] of selfTimes(profile).slice(0, 15)) say(`    ${fmt(ms, 0).padStart(7)} ms  ${name}`);
}
process.exit(failed === 0 && frames.length > 0 ? 0 : 1);

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

/** Samples the page's main thread (Chrome DevTools Protocol) until `stop`. */
async function startProfile(page: typeof dashboard.page) {
  const session = await page.context().newCDPSession(page);
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 200 });
  await session.send('Profiler.start');
  return {
    async stop(): Promise<CpuProfile> {
      const { profile } = await session.send('Profiler.stop');
      await session.detach();
      return profile as unknown as CpuProfile;
    },
  };
}

/** Milliseconds of self time per function (name, file and line), most first. */
function selfTimes(profile: CpuProfile): Array<[string, number]> {
  const names = new Map(
    profile.nodes.map((node) => {
      const { functionName, url, lineNumber } = node.callFrame;
      const file = url.split('/').at(-1) ?? '';
      return [node.id, `${functionName || '(anonymous)'} ${file}${file ? `:${lineNumber + 1}` : ''}`];
    }),
  );
  const totals = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const name = names.get(id) ?? '?';
    totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  return [...totals].sort((a, b) => b[1] - a[1]);
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

/**
 * Milliseconds of self time per kind of top-level work on the renderer's main thread (nested events are
 * subtracted from their parent), most first.
 */
function mainThreadTimes(buffer: Buffer): Array<[string, number]> {
  const events = (JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = events.find((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain');
  const complete = events
    .filter((event) => main && event.pid === main.pid && event.tid === main.tid && event.ph === 'X' && event.dur)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const totals = new Map<string, number>();
  const open: TraceEvent[] = [];
  for (const event of complete) {
    while (open.length > 0 && (open.at(-1) as TraceEvent).ts + ((open.at(-1) as TraceEvent).dur ?? 0) <= event.ts) {
      open.pop();
    }
    const parent = open.at(-1);
    if (parent) totals.set(parent.name, (totals.get(parent.name) ?? 0) - (event.dur ?? 0) / 1000);
    totals.set(event.name, (totals.get(event.name) ?? 0) + (event.dur ?? 0) / 1000);
    open.push(event);
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}
