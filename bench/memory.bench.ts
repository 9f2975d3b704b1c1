/**
 * Server memory: resident set size of the server process when idle, after start-up and after a burst of
 * ingest. Run by hand: `npm run bench:memory`. Knob: BENCH_POINTS (default 20000) for the burst.
 */
import { Pool } from 'undici';
import { fmt, say, startBenchServer } from './bench.server.js';

const POINTS = Number(process.env.BENCH_POINTS ?? 20_000);
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const server = await startBenchServer();
await settle(5000);
const idleAfterStart = await server.rssMiB();

const pool = new Pool(server.url, { connections: 64 });
let next = 0;
const worker = async () => {
  for (;;) {
    const seq = next++;
    if (seq >= POINTS) return;
    const response = await pool.request({
      path: '/api/tracking/postAmbulanceTracking',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ambulance_id: `M${seq % 200}`,
        tracking_latitude: 45,
        tracking_longitude: -73,
        tracking_speed: seq % 130,
        tracking_heading: 0,
      }),
    });
    await response.body.dump();
  }
};
await Promise.all(Array.from({ length: 128 }, () => worker()));
const underLoad = await server.rssMiB();
await pool.close();
await settle(15_000);
const idleAfterLoad = await server.rssMiB();
await server.stop();

say('memory (server process RSS):');
say(`  idle after start-up:            ${fmt(idleAfterStart)} MiB`);
say(`  right after ${POINTS} points:    ${fmt(underLoad)} MiB`);
say(`  idle 15 s after the burst:      ${fmt(idleAfterLoad)} MiB`);
