/**
 * Live latency: a fleet posting once a second while dashboards watch. Measures the time from sending a
 * POST to a subscriber receiving the event, for every delivery. Run by hand: `npm run bench:live`.
 * Knobs: BENCH_AMBULANCES (200), BENCH_PER_AMBULANCE (5), BENCH_FLEET_SUBSCRIBERS (10), BENCH_SECONDS (30).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createClient } from 'graphql-ws';
import { Pool } from 'undici';
import WebSocket from 'ws';
import { fmt, percentile, say, startBenchServer } from './bench.server.js';

const AMBULANCES = Number(process.env.BENCH_AMBULANCES ?? 200);
const PER_AMBULANCE = Number(process.env.BENCH_PER_AMBULANCE ?? 5);
const FLEET = Number(process.env.BENCH_FLEET_SUBSCRIBERS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const LAT_BASE = 40;
const LAT_STEP = 1e-6;

const server = await startBenchServer();
const wsUrl = `${server.url.replace('http', 'ws')}/graphql`;
const sentAt = new Map<number, number>();
const latencies: number[] = [];
const postLatencies: number[] = [];
let received = 0;
let errors = 0;
const clients: Array<ReturnType<typeof createClient>> = [];

function watch(ambulanceId: string | null): Promise<void> {
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${server.dispatcherToken}` },
  });
  clients.push(client);
  return new Promise((resolve) => {
    client.on('connected', () => resolve());
    client.subscribe<{ trackingUpdated: { latitude: number } }>(
      {
        query:
          'subscription($id: ID) { trackingUpdated(ambulanceId: $id) { id ambulanceId latitude speed state recordedAt } }',
        variables: { id: ambulanceId },
      },
      {
        next: (result) => {
          const now = performance.now();
          const latitude = result.data?.trackingUpdated.latitude;
          if (latitude === undefined) return;
          const sent = sentAt.get(Math.round((latitude - LAT_BASE) / LAT_STEP));
          if (sent !== undefined) latencies.push(now - sent);
          received += 1;
        },
        error: () => {
          errors += 1;
        },
        complete: () => {},
      },
    );
  });
}

say(
  `live: ${AMBULANCES} ambulances posting 1/s, ${AMBULANCES * PER_AMBULANCE} per-ambulance + ${FLEET} fleet subscribers`,
);
const connecting: Array<Promise<void>> = [];
for (let a = 0; a < AMBULANCES; a += 1) for (let s = 0; s < PER_AMBULANCE; s += 1) connecting.push(watch(`L${a}`));
for (let f = 0; f < FLEET; f += 1) connecting.push(watch(null));
await Promise.all(connecting);
// Let every subscription reach the server before the first point is posted.
await new Promise((resolve) => setTimeout(resolve, 3000));
const rssSubscribed = await server.rssMiB();

const pool = new Pool(server.url, { connections: 32 });
// Delays in this process's own event loop add to every latency it measures; reported beside them.
const generatorLoopDelay = monitorEventLoopDelay({ resolution: 5 });
generatorLoopDelay.enable();
let seq = 0;
let posted = 0;
let failed = 0;
const post = async (ambulance: number) => {
  const mine = seq++;
  const body = JSON.stringify({
    ambulance_id: `L${ambulance}`,
    tracking_latitude: LAT_BASE + mine * LAT_STEP,
    tracking_longitude: -73.6,
    tracking_speed: 40 + (mine % 70),
    tracking_heading: mine % 360,
  });
  sentAt.set(mine, performance.now());
  const response = await pool.request({
    path: '/api/tracking/postAmbulanceTracking',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  await response.body.dump();
  postLatencies.push(performance.now() - (sentAt.get(mine) as number));
  if (response.statusCode === 200) posted += 1;
  else failed += 1;
};

// Each ambulance posts once a second, spread evenly over the second.
const inflight: Array<Promise<void>> = [];
const started = performance.now();
for (let tick = 0; tick < SECONDS * AMBULANCES; tick += 1) {
  const due = started + (tick * 1000) / AMBULANCES;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  inflight.push(post(tick % AMBULANCES));
}
await Promise.all(inflight);
generatorLoopDelay.disable();
const serverMetrics = await (await fetch(`${server.url}/metrics`)).text();
const serverLoopLag = (name: string) =>
  Number(new RegExp(`^nodejs_eventloop_lag_${name}_seconds (\\S+)$`, 'm').exec(serverMetrics)?.[1] ?? Number.NaN) *
  1000;
await new Promise((resolve) => setTimeout(resolve, 2000));
const rssAfter = await server.rssMiB();

for (const client of clients) await client.dispose();
await pool.close();
await server.stop();

const expected = posted * (PER_AMBULANCE + FLEET);
latencies.sort((a, b) => a - b);
say(`  posted:            ${posted} points (${failed} failed) over ${SECONDS} s`);
say(
  `  deliveries:        ${received} of ${expected} expected (${expected - received} missing), ${errors} subscription errors`,
);
say(
  `  POST→subscriber:   p50 ${fmt(percentile(latencies, 50))} ms, p95 ${fmt(percentile(latencies, 95))} ms, ` +
    `p99 ${fmt(percentile(latencies, 99))} ms, max ${fmt(latencies.at(-1) ?? Number.NaN)} ms`,
);
postLatencies.sort((a, b) => a - b);
say(`  POST answered:     p50 ${fmt(percentile(postLatencies, 50))} ms, p99 ${fmt(percentile(postLatencies, 99))} ms`);
say(
  `  event-loop delay:  server p99 ${fmt(serverLoopLag('p99'))} ms, max ${fmt(serverLoopLag('max'))} ms (since start); ` +
    `load generator p99 ${fmt(generatorLoopDelay.percentile(99) / 1e6)} ms, max ${fmt(generatorLoopDelay.max / 1e6)} ms`,
);
say(`  server RSS:        ${fmt(rssSubscribed)} MiB with subscribers connected, ${fmt(rssAfter)} MiB after the run`);
process.exit(received === expected && failed === 0 ? 0 : 1);
