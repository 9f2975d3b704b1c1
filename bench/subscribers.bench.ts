/**
 * Many connected dashboards in one server process: RSS idle after start-up, RSS with N graphql-ws connections of
 * one trackingUpdated subscription each (per-ambulance and fleet-wide mixed), KiB per subscriber, and whether a
 * posted point reaches every subscriber that should get it. Run by hand: `npm run bench:subscribers`.
 * Knobs: BENCH_SUBSCRIBERS (20000), BENCH_FLEET_SHARE (0.1 of them fleet-wide), BENCH_AMBULANCES (2000 watched),
 * BENCH_POINTS (10 points posted, to as many ambulances), BENCH_CLIENTS (4 client processes), BENCH_SOURCE_ADDRESSES
 * (8: 127.0.0.1..8), BENCH_TIMEOUT_SECONDS (300, the whole run). Uses MONGODB_URI / REDIS_URL when given.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fmt, say, startBenchServer } from './bench.server.js';
import type { ClientReport, FromClient, ToClient } from './subscribers.client.js';
import { LATITUDE_BASE, LATITUDE_STEP } from './subscribers.client.js';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 20_000);
const FLEET_SHARE = Number(process.env.BENCH_FLEET_SHARE ?? 0.1);
const AMBULANCES = Number(process.env.BENCH_AMBULANCES ?? 2000);
const POINTS = Math.min(Number(process.env.BENCH_POINTS ?? 10), AMBULANCES);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const SOURCE_ADDRESSES = Number(process.env.BENCH_SOURCE_ADDRESSES ?? 8);
const TIMEOUT_SECONDS = Number(process.env.BENCH_TIMEOUT_SECONDS ?? 300);
/** Files the server may open beyond those it holds idle: the posting client, a metrics scrape, a log line. */
const SPARE_FILES = 64;

const started = Date.now();
const remainingMs = () => TIMEOUT_SECONDS * 1000 - (Date.now() - started);
const children: ChildProcess[] = [];
let stopServer: (() => Promise<void>) | undefined;
// Bounded in time whatever happens: past the budget everything started here is stopped.
const watchdog = setTimeout(() => {
  say(`gave up after ${TIMEOUT_SECONDS} s (BENCH_TIMEOUT_SECONDS)`);
  for (const child of children) child.kill('SIGKILL');
  void (stopServer?.() ?? Promise.resolve()).finally(() => process.exit(2));
}, TIMEOUT_SECONDS * 1000);
watchdog.unref();

const server = await startBenchServer(
  { WS_MAX_CONNECTIONS_PER_ADDRESS: '0', WS_MAX_CONNECTIONS_PER_SUBJECT: '0' },
  { openFiles: SUBSCRIBERS + 1024 },
);
stopServer = () => server.stop();
await sleep(5000);
const openFiles = await server.openFiles();
const idleFiles = (await readdir(`/proc/${server.child.pid}/fd`)).length;
const subscribers = Math.min(SUBSCRIBERS, openFiles - idleFiles - SPARE_FILES);
if (subscribers < SUBSCRIBERS) {
  say(
    `the server may open only ${openFiles} files (ulimit -n; raising it needs CAP_SYS_RESOURCE) and holds ` +
      `${idleFiles} idle: ${subscribers} subscribers instead of ${SUBSCRIBERS}`,
  );
}
const ambulanceId = (index: number) => `SUB${index}`;
// Fleet-wide subscribers spread evenly among the per-ambulance ones, which go round the ambulances.
const fleetEvery = FLEET_SHARE > 0 ? Math.max(1, Math.round(1 / FLEET_SHARE)) : Number.POSITIVE_INFINITY;
const watches = Array.from({ length: subscribers }, (_, k) =>
  k % fleetEvery === fleetEvery - 1 ? null : ambulanceId(k % AMBULANCES),
);
const fleet = watches.filter((watch) => watch === null).length;

const rssIdle = await server.rssMiB();
say(`subscribers: ${subscribers} (${fleet} fleet-wide, the rest over ${AMBULANCES} ambulances) to ${server.url}`);
say(`  server open-file limit:        ${openFiles}`);
say(`  server RSS idle after start-up: ${fmt(rssIdle)} MiB`);

function metric(text: string, pattern: RegExp): number {
  return Number(pattern.exec(text)?.[1] ?? Number.NaN);
}
async function serverSubscriptions(): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return metric(text, /^aoc_graphql_subscriptions\{field="trackingUpdated"\} (\S+)$/m);
}

function ask<T extends FromClient['type']>(child: ChildProcess, message: ToClient, answer: T) {
  return new Promise<ClientReport>((resolve, reject) => {
    const onMessage = (reply: FromClient) => {
      if (reply.type !== answer) return;
      child.off('message', onMessage);
      resolve(reply.report);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`a client process exited with ${code}`)));
    child.send(message);
  });
}

const clientScript = path.resolve(import.meta.dirname, 'subscribers.client.js');
for (let c = 0; c < CLIENTS; c += 1)
  children.push(fork(clientScript, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
const wsUrl = `${server.url.replace('http', 'ws')}/graphql`;
const connectStarted = performance.now();
const connectReports = await Promise.all(
  children.map((child, c) =>
    ask(
      child,
      {
        type: 'connect',
        job: {
          wsUrl,
          token: server.dispatcherToken,
          watches: watches.filter((_, k) => k % CLIENTS === c),
          sourceAddresses: SOURCE_ADDRESSES,
          concurrency: 64,
        },
      },
      'connected',
    ),
  ),
);
const connectSeconds = (performance.now() - connectStarted) / 1000;
const connected = connectReports.reduce((total, report) => total + report.connected, 0);
const failedConnects = connectReports.reduce((total, report) => total + report.failed, 0);
say(
  `  connected:                     ${connected} of ${subscribers} in ${fmt(connectSeconds)} s (${failedConnects} refused)`,
);
for (const failure of connectReports.flatMap((report) => report.failures).slice(0, 5)) say(`    e.g. ${failure}`);

// Every subscription registered on the server before RSS is read and the points go out.
let registered = await serverSubscriptions();
while (registered < connected && remainingMs() > 60_000) {
  await sleep(500);
  registered = await serverSubscriptions();
}
await sleep(3000);
const rssConnected = await server.rssMiB();
say(`  subscriptions on the server:   ${registered}`);
say(`  server RSS with them:          ${fmt(rssConnected)} MiB`);
say(`  per subscriber:                ${fmt(((rssConnected - rssIdle) * 1024) / Math.max(1, connected))} KiB`);

// One point to each of the first POINTS ambulances; each must reach its watchers and every fleet-wide one.
const postStarted = performance.now();
for (let seq = 0; seq < POINTS; seq += 1) {
  const response = await fetch(`${server.url}/api/tracking/postAmbulanceTracking`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      ambulance_id: ambulanceId(seq),
      tracking_latitude: LATITUDE_BASE + seq * LATITUDE_STEP,
      tracking_longitude: -73.6,
      tracking_speed: 50,
      tracking_heading: 0,
    }),
  });
  if (response.status !== 200) say(`  POST ${seq} answered ${response.status}: ${await response.text()}`);
}
const expectedPerPoint = Array.from(
  { length: POINTS },
  (_, seq) => watches.filter((watch) => watch === ambulanceId(seq)).length + fleet,
);
const expected = expectedPerPoint.reduce((a, b) => a + b, 0);
const collect = async () => {
  const reports = await Promise.all(children.map((child) => ask(child, { type: 'report' }, 'report')));
  const perPoint = expectedPerPoint.map((_, seq) => reports.reduce((total, r) => total + (r.perPoint[seq] ?? 0), 0));
  return {
    reports,
    perPoint,
    received: perPoint.reduce((a, b) => a + b, 0),
    duplicates: reports.reduce((total, r) => total + r.duplicates, 0),
    misrouted: reports.reduce((total, r) => total + r.misrouted, 0),
    closed: reports.reduce((total, r) => total + r.closedAfterConnect, 0),
  };
};
let tally = await collect();
const deliveryDeadline = Math.min(30_000, remainingMs() - 15_000);
while (tally.received < expected && performance.now() - postStarted < deliveryDeadline) {
  await sleep(250);
  tally = await collect();
}
const deliverySeconds = (performance.now() - postStarted) / 1000;
const rssAfter = await server.rssMiB();
say(
  `  deliveries:                    ${tally.received} of ${expected} expected for ${POINTS} points ` +
    `(${expected - tally.received} missing, ${tally.duplicates} duplicates, ${tally.misrouted} misrouted) in ${fmt(deliverySeconds)} s`,
);
const short = tally.perPoint.flatMap((got, seq) =>
  got < (expectedPerPoint[seq] as number) ? [`point ${seq}: ${got}/${expectedPerPoint[seq]}`] : [],
);
if (short.length) say(`    short: ${short.slice(0, 5).join(', ')}`);
say(`  connections closed by the server after connecting: ${tally.closed}`);
say(`  server RSS after the deliveries: ${fmt(rssAfter)} MiB`);

for (const child of children) child.send({ type: 'close' } satisfies ToClient);
await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
await server.stop();
const ok = connected === subscribers && tally.received === expected && tally.duplicates === 0 && tally.misrouted === 0;
process.exit(ok ? 0 : 1);
