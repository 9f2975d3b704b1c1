/**
 * Ingest throughput: many devices posting tracking points as fast as the server accepts them.
 * Every answered 200 must be found in history afterwards. Run by hand: `npm run bench:ingest`.
 * Knobs: BENCH_POINTS (default 60000), BENCH_CONNECTIONS (128; two requests in flight on each), BENCH_AMBULANCES (200).
 */
import mongoose from 'mongoose';
import { Pool } from 'undici';
import { fmt, percentile, say, startBenchServer } from './bench.server.js';

const TOTAL = Number(process.env.BENCH_POINTS ?? 60_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 128);
const AMBULANCES = Number(process.env.BENCH_AMBULANCES ?? 200);

const server = await startBenchServer();
const pool = new Pool(server.url, { connections: CONNECTIONS, pipelining: 1 });
const latencies: number[] = [];
const statuses = new Map<number, number>();
let next = 0;

async function worker(): Promise<void> {
  for (;;) {
    const seq = next++;
    if (seq >= TOTAL) return;
    const body = JSON.stringify({
      ambulance_id: `B${seq % AMBULANCES}`,
      tracking_latitude: 45 + (seq % 1000) / 10_000,
      tracking_longitude: -73.6,
      tracking_speed: seq % 150,
      tracking_heading: seq % 360,
    });
    const started = performance.now();
    const response = await pool.request({
      path: '/api/tracking/postAmbulanceTracking',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    await response.body.dump();
    latencies.push(performance.now() - started);
    statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
  }
}

say(`ingest: ${TOTAL} points from ${AMBULANCES} ambulances over ${CONNECTIONS} connections to ${server.url}`);
const cpuBefore = await server.cpuSeconds();
const started = performance.now();
await Promise.all(Array.from({ length: CONNECTIONS * 2 }, () => worker()));
const seconds = (performance.now() - started) / 1000;
const cpuAfter = await server.cpuSeconds();
await pool.close();

const accepted = statuses.get(200) ?? 0;
const client = new mongoose.mongo.MongoClient(server.mongoUri);
const stored = await client.db().collection('ambulance_trackings').countDocuments({});
await client.close();
await server.stop();

latencies.sort((a, b) => a - b);
say(`  answered 200:     ${accepted} (${[...statuses].map(([status, count]) => `${status}×${count}`).join(', ')})`);
say(`  throughput:       ${fmt(accepted / seconds, 0)} points/s sustained over ${fmt(seconds)} s`);
say(`  request latency:  p50 ${fmt(percentile(latencies, 50))} ms, p99 ${fmt(percentile(latencies, 99))} ms`);
// CPU time per point is steadier than points/s when other work shares the machine.
const perThousand = (used: number) => fmt((used / accepted) * 1_000_000, 0);
say(
  `  cpu per 1000 pts: server ${perThousand(cpuAfter.server - cpuBefore.server)} ms, ` +
    `database ${perThousand(cpuAfter.database - cpuBefore.database)} ms`,
);
say(`  stored in history: ${stored} (${stored === accepted ? 'every accepted point found' : 'MISMATCH'})`);
process.exit(stored === accepted ? 0 : 1);
