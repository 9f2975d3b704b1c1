import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { Socket } from 'socket.io-client';
import { startApp } from '../src/app/app.js';
import { loadConfig } from '../src/config/env.config.js';
import { LocalEventBus } from '../src/events/local.event-bus.js';
import { RedisEventBus } from '../src/events/redis.event-bus.js';
import { mintToken, startSecuredTestApp } from './helpers/auth.helpers.js';
import { ENDPOINTS, postFields, postImages, TINY_JPEG, TINY_PNG, trackingFields } from './helpers/http.client.js';
import { readUploadedFile } from './helpers/ingest.helpers.js';
import {
  connectV2,
  connectV4,
  dataCount,
  join,
  type LegacyV2Socket,
  leave,
  legacySocketUrl,
  legacyStats,
} from './helpers/legacy-socket.client.js';
import { sampleValue, scrape } from './helpers/metrics.helpers.js';
import { startOwnRedis } from './helpers/process.helpers.js';
import type { TestApp } from './helpers/test-app.js';
import { testEnv, uniqueName, waitUntil } from './helpers/test-env.js';

const LEGACY = { LEGACY_SOCKET_PORT: '0' };
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('legacy Socket.IO endpoint: the legacy event contract', () => {
  let app: TestApp;
  let url: string;
  let token: string;
  const open: Array<Socket | LegacyV2Socket> = [];
  const client = async (options: Record<string, unknown> = {}) => {
    const connected = await connectV4(url, { auth: { token }, ...options });
    open.push(connected.socket);
    return connected;
  };

  before(async () => {
    app = await startSecuredTestApp({ env: LEGACY });
    url = legacySocketUrl(app);
    token = await mintToken('dispatcher');
  });
  after(async () => {
    for (const socket of open) socket.close();
    await app.close();
  });

  it('sends every tracking point to rooms <ambulance_id> and tracking as a JSON string with the legacy fields', async () => {
    const one = await client();
    const fleet = await client();
    const quoted = await client();
    assert.deepEqual(await join(one.socket, 'LS332'), { ok: true, room: 'LS332' });
    assert.deepEqual(await join(fleet.socket, 'tracking'), { ok: true, room: 'tracking' });
    // The legacy server stripped quotes from the room name.
    assert.deepEqual(await join(quoted.socket, '"LS332"'), { ok: true, room: 'LS332' });

    const json = {
      ambulance_id: 'LS332',
      tracking_latitude: 45.51,
      tracking_longitude: -73.61,
      tracking_speed: 95,
      tracking_heading: 180,
    };
    assert.equal((await postFields(`${app.url}${ENDPOINTS.tracking}`, json)).status, 200);
    const form = {
      ambulance_id: 'LS333',
      tracking_latitude: '45.6',
      tracking_longitude: '-73.7',
      tracking_speed: '12.5',
      tracking_heading: '270',
    };
    assert.equal((await postFields(`${app.url}${ENDPOINTS.tracking}`, form, 'form')).status, 200);

    await dataCount(fleet.received, 2);
    await dataCount(one.received, 1);
    await dataCount(quoted.received, 1);
    await settle();
    assert.equal(typeof fleet.received.raw[0], 'string', 'data carries a JSON string, as the legacy emit helper sent');
    assert.deepEqual(fleet.received.data, [
      json,
      // Numbers as the server stored them, whatever form the device used (docs/legacy-socket.md).
      {
        ambulance_id: 'LS333',
        tracking_latitude: 45.6,
        tracking_longitude: -73.7,
        tracking_speed: 12.5,
        tracking_heading: 270,
      },
    ]);
    assert.deepEqual(one.received.data, [json], 'room LS332 gets only ambulance LS332');
    assert.deepEqual(quoted.received.data, [json]);
    // No `room joined: <name>` broadcast to every client (a legacy leak).
    for (const c of [one, fleet, quoted]) assert.deepEqual(c.received.messages, []);
  });

  it('a socket in both rooms gets each point twice, as from the legacy server', async () => {
    const both = await client();
    await join(both.socket, 'LSBOTH');
    await join(both.socket, 'tracking');
    assert.equal((await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields('LSBOTH', 40))).status, 200);
    await dataCount(both.received, 2);
    await settle();
    assert.equal(both.received.data.length, 2);
    assert.deepEqual(both.received.data[0], both.received.data[1]);
  });

  it('sends crashes to rooms crash and CRASH_NOTIFY_<ambulance_id> as the stored crash document (km/h, heading a string)', async () => {
    const crash = await client();
    const notify = await client();
    const other = await client();
    await join(crash.socket, 'crash');
    await join(notify.socket, 'CRASH_NOTIFY_LSC1');
    await join(other.socket, 'CRASH_NOTIFY_LSC2');
    const fields = {
      ambulance_id: 'LSC1',
      tracking_latitude: 45.5,
      tracking_longitude: -73.6,
      tracking_speed: 30,
      tracking_heading: 90,
    };
    assert.equal((await postFields(`${app.url}${ENDPOINTS.crash}`, fields)).status, 200);
    await dataCount(crash.received, 1);
    await dataCount(notify.received, 1);
    await settle();
    assert.deepEqual(other.received.data, []);
    const payload = crash.received.data[0] as Record<string, unknown>;
    assert.deepEqual(notify.received.data[0], payload);
    const stored = await app.app.models.collections.crashes.findOne({ ambulance_id: 'LSC1' });
    assert.ok(stored);
    assert.deepEqual(payload, {
      _id: stored._id.toHexString(),
      ambulance_id: 'LSC1',
      location: { lat: 45.5, lon: -73.6 },
      speed: 108, // 30 m/s × 3.6
      heading: '90',
      count_datetime: stored.count_datetime.toISOString(),
      state: 'ORANGE',
      location_detail: { address: '', image: '' },
    });
  });

  it('sends uploads to room snap as { body, imagesObj } with the stored image paths, which load', async () => {
    const snap = await client();
    await join(snap.socket, 'snap');
    const result = await postImages(app.url, 'LSS1', [
      { field: 'image', data: TINY_PNG },
      { field: 'image2', data: TINY_JPEG, name: 'b.jpg', type: 'image/jpeg' },
    ]);
    assert.equal(result.status, 200);
    await dataCount(snap.received, 1);
    const payload = snap.received.data[0] as { body: Record<string, string>; imagesObj: Record<string, string> };
    assert.deepEqual(payload.body, { ambulance_id: 'LSS1' });
    assert.deepEqual(Object.keys(payload.imagesObj), ['image0', 'image1']);
    const record = await app.app.models.collections.imageRecords.findOne({ ambulance_id: 'LSS1' });
    assert.ok(record);
    for (const [name, value] of Object.entries(payload.imagesObj)) {
      const [storedPath, query] = value.split('?');
      assert.equal(storedPath, (record.images as Record<string, string>)[name], 'the path stored in ambulance_images');
      assert.match(
        storedPath as string,
        /^uploads\/ambulance_images\/LSS1\/\d{4}\/\d{2}\/\d{2}\/\d{2}_\d{2}\/\d{2}_\d{2}_\d{4}\.(png|jpg)$/,
      );
      // Image URLs are signed on this server (JWT_SECRET): the signature rides along, so <server>/<path> loads.
      assert.match(query ?? '', /^expires=\d+&signature=[\w-]+$/);
      const image = await fetch(`${app.url}/${value}`);
      assert.equal(image.status, 200);
      const expected = await readUploadedFile(app, (storedPath as string).replace(/^uploads\//, ''));
      assert.deepEqual(Buffer.from(await image.arrayBuffer()), expected);
    }
  });

  it('room_leave stops delivery to that socket only', async () => {
    const leaving = await client();
    const staying = await client();
    await join(leaving.socket, 'LSL1');
    await join(staying.socket, 'LSL1');
    await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields('LSL1'));
    await dataCount(leaving.received, 1);
    assert.deepEqual(await leave(leaving.socket, '"LSL1"'), { ok: true, room: 'LSL1' });
    await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields('LSL1'));
    await dataCount(staying.received, 2);
    await settle();
    assert.equal(leaving.received.data.length, 1, 'nothing after room_leave');
  });

  it('refuses room names that never receive events with an error event', async () => {
    const c = await client();
    const answer = await join(c.socket, 'no such/room');
    assert.equal(answer.ok, false);
    assert.equal(answer.code, 'INVALID_ROOM');
    await waitUntil(() => c.received.errors.length === 1);
    assert.equal(c.received.errors[0]?.code, 'INVALID_ROOM');
    assert.match(c.received.errors[0]?.message ?? '', /join tracking, crash, snap/);
  });

  it('serves Engine.IO 3 clients (Socket.IO 2) with the token in the query string', async () => {
    const { socket, received } = await connectV2(url, { query: { token } });
    open.push(socket);
    await join(socket, 'LSV2');
    await postFields(
      `${app.url}${ENDPOINTS.tracking}`,
      trackingFields('LSV2', 81, { tracking_latitude: 1, tracking_longitude: 2 }),
    );
    await dataCount(received, 1);
    assert.equal(typeof received.raw[0], 'string');
    assert.deepEqual(received.data[0], {
      ambulance_id: 'LSV2',
      tracking_latitude: 1,
      tracking_longitude: 2,
      tracking_speed: 81,
      tracking_heading: 90,
    });
  });

  it('exports connected sockets and joined rooms, back to zero when the dashboards are gone', async () => {
    for (const socket of open.splice(0)) socket.close();
    await waitUntil(() => legacyStats(app).connections === 0, { message: 'all sockets gone' });
    const a = await client();
    const b = await client();
    await join(a.socket, 'tracking');
    await join(a.socket, 'LSM1');
    await join(b.socket, 'CRASH_NOTIFY_LSM1');
    await join(b.socket, 'snap');
    await join(b.socket, 'crash');
    let samples = await scrape(app.url);
    assert.equal(sampleValue(samples, 'aoc_legacy_socket_connections'), 2);
    for (const kind of ['tracking', 'ambulance', 'crash_notify', 'snap', 'crash'])
      assert.equal(sampleValue(samples, 'aoc_legacy_socket_joined_rooms', { kind }), 1, kind);
    assert.ok((sampleValue(samples, 'aoc_legacy_socket_refusals_total', { code: 'INVALID_ROOM' }) ?? 0) >= 1);
    a.socket.close();
    b.socket.close();
    await waitUntil(() => legacyStats(app).connections === 0, { message: 'sockets closed' });
    samples = await scrape(app.url);
    assert.equal(sampleValue(samples, 'aoc_legacy_socket_connections'), 0);
    for (const kind of ['tracking', 'ambulance', 'crash_notify', 'snap', 'crash'])
      assert.equal(sampleValue(samples, 'aoc_legacy_socket_joined_rooms', { kind }), 0, kind);
  });
});

describe('legacy Socket.IO endpoint: tokens, roles and ambulance scopes as in GraphQL', () => {
  let app: TestApp;
  let url: string;
  const open: Socket[] = [];
  const connect = async (auth: Record<string, unknown>, options: Record<string, unknown> = {}) => {
    const connected = await connectV4(url, { auth, ...options });
    open.push(connected.socket);
    return connected;
  };
  const refusalOf = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return (error as { data?: { code: string; message: string } }).data;
    }
    assert.fail('expected the connection to be refused');
  };

  before(async () => {
    app = await startSecuredTestApp({ env: { ...LEGACY, JWT_CLOCK_TOLERANCE_SECONDS: '0' } });
    url = legacySocketUrl(app);
  });
  after(async () => {
    for (const socket of open) socket.close();
    await app.close();
  });

  it('refuses a connection without a token, with a bad token, or with a device token', async () => {
    const missing = await refusalOf(connectV4(url));
    assert.equal(missing?.code, 'UNAUTHENTICATED');
    assert.match(missing?.message ?? '', /token is required/);
    const bad = await refusalOf(connectV4(url, { auth: { token: 'not-a-jwt' } }));
    assert.equal(bad?.code, 'UNAUTHENTICATED');
    const forged = await refusalOf(
      connectV4(url, {
        auth: { token: await mintToken('dispatcher', { secret: 'another-secret-0123456789abcdefghijkl' }) },
      }),
    );
    assert.equal(forged?.code, 'UNAUTHENTICATED');
    assert.match(forged?.message ?? '', /signature/);
    const device = await refusalOf(connectV4(url, { auth: { token: await mintToken('device') } }));
    assert.equal(device?.code, 'FORBIDDEN');
    const v2 = await refusalOf(connectV2(url));
    assert.equal(v2?.code, 'UNAUTHENTICATED', 'Engine.IO 3 clients get the refusal as an error event');
  });

  it('a scoped token joins its ambulances rooms and is refused others and fleet rooms with an error event', async () => {
    const token = await mintToken('partner', { ambulances: ['LSA1'] });
    const scoped = await connect({ token });
    assert.deepEqual(await join(scoped.socket, 'LSA1'), { ok: true, room: 'LSA1' });
    assert.deepEqual(await join(scoped.socket, 'CRASH_NOTIFY_LSA1'), { ok: true, room: 'CRASH_NOTIFY_LSA1' });
    for (const room of ['LSA2', 'CRASH_NOTIFY_LSA2', 'tracking', 'crash', 'snap']) {
      const answer = await join(scoped.socket, room);
      assert.equal(answer.ok, false, room);
      assert.equal(answer.code, 'FORBIDDEN', room);
    }
    await waitUntil(() => scoped.received.errors.length === 5);
    assert.deepEqual(
      scoped.received.errors.map((error) => [error.code, error.room]),
      ['LSA2', 'CRASH_NOTIFY_LSA2', 'tracking', 'crash', 'snap'].map((room) => ['FORBIDDEN', room]),
    );
    assert.match(scoped.received.errors[0]?.message ?? '', /outside the ambulances your token allows/);
    assert.match(scoped.received.errors[2]?.message ?? '', /shows every ambulance/);

    await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields('LSA2'));
    await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields('LSA1'));
    await dataCount(scoped.received, 1);
    await settle();
    assert.deepEqual(
      scoped.received.data.map((payload) => (payload as { ambulance_id: string }).ambulance_id),
      ['LSA1'],
      'never another ambulance',
    );
    // The same rule for Engine.IO 3 clients.
    const v2 = await connectV2(url, { query: { token } });
    const answer = await join(v2.socket, 'LSA2');
    v2.socket.close();
    assert.equal(answer.code, 'FORBIDDEN');
  });

  it('the token may come as "Bearer <token>" and in the query string', async () => {
    const token = await mintToken('partner');
    const { socket } = await connect({ token: `Bearer ${token}` });
    assert.deepEqual(await join(socket, 'tracking'), { ok: true, room: 'tracking' });
    const viaQuery = await connect({}, { query: { token } });
    assert.deepEqual(await join(viaQuery.socket, 'crash'), { ok: true, room: 'crash' });
  });

  it('disconnects a socket when its token expires, with an error event', async () => {
    const token = await mintToken('dispatcher', { expiresIn: 2 });
    const { socket, received } = await connect({ token });
    const reason = await new Promise<string>((resolve) => socket.once('disconnect', resolve));
    assert.equal(reason, 'io server disconnect');
    assert.equal(received.errors[0]?.code, 'UNAUTHENTICATED');
    assert.match(received.errors[0]?.message ?? '', /expired/);
  });

  it('counts refusals by code', async () => {
    const samples = await scrape(app.url);
    assert.ok((sampleValue(samples, 'aoc_legacy_socket_refusals_total', { code: 'UNAUTHENTICATED' }) ?? 0) >= 3);
    assert.ok((sampleValue(samples, 'aoc_legacy_socket_refusals_total', { code: 'FORBIDDEN' }) ?? 0) >= 6);
  });
});

describe('legacy Socket.IO endpoint: without tokens', () => {
  it('warns at start-up that dashboards without tokens are accepted', async () => {
    const lines: string[] = [];
    const uploadDir = await mkdtemp(path.join(os.tmpdir(), 'aoc-legacy-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      UPLOAD_DIR: uploadDir,
      ...LEGACY,
      LEGACY_SOCKET_ALLOW_ANONYMOUS: 'true',
    });
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const bus = new LocalEventBus();
    const app = await startApp({ config, mongoUri: `${testEnv.mongoUri}${uniqueName('db')}`, bus, logger });
    try {
      const warning = lines
        .map((line) => JSON.parse(line) as { level: number; msg: string })
        .find((line) => /WITHOUT TOKENS/.test(line.msg));
      assert.ok(warning, lines.join('\n'));
      assert.equal(warning.level, 40, 'a warning');
      assert.match(warning.msg, /LEGACY_SOCKET_ALLOW_ANONYMOUS=true/);
    } finally {
      await app.close();
      await bus.close();
      await rm(uploadDir, { recursive: true, force: true });
    }
  });

  it('accepts unmodified dashboards with LEGACY_SOCKET_ALLOW_ANONYMOUS=true, tokens still checked when sent', async () => {
    const app = await startSecuredTestApp({ env: { ...LEGACY, LEGACY_SOCKET_ALLOW_ANONYMOUS: 'true' } });
    try {
      const url = legacySocketUrl(app);
      const anonymous = await connectV4(url);
      assert.deepEqual(await join(anonymous.socket, 'tracking'), { ok: true, room: 'tracking' });
      anonymous.socket.close();
      const scoped = await connectV4(url, { auth: { token: await mintToken('partner', { ambulances: ['X1'] }) } });
      assert.equal((await join(scoped.socket, 'tracking')).code, 'FORBIDDEN');
      scoped.socket.close();
      await assert.rejects(connectV4(url, { auth: { token: 'garbage' } }), (error: { data?: { code?: string } }) => {
        return error.data?.code === 'UNAUTHENTICATED';
      });
    } finally {
      await app.close();
    }
  });

  it('in production, refuses dashboards without a token unless LEGACY_SOCKET_ALLOW_ANONYMOUS=true', async () => {
    const app = await startSecuredTestApp({ env: { ...LEGACY, NODE_ENV: 'production' } });
    try {
      const url = legacySocketUrl(app);
      await assert.rejects(
        connectV4(url),
        (error: { data?: { code?: string } }) => error.data?.code === 'UNAUTHENTICATED',
      );
      const { socket } = await connectV4(url, { auth: { token: await mintToken('dispatcher') } });
      socket.close();
    } finally {
      await app.close();
    }
  });
});

describe('legacy Socket.IO endpoint: two instances with Redis', () => {
  it('a dashboard on one instance receives what devices post to the other', async () => {
    const first = await startSecuredTestApp({ env: LEGACY });
    const second = await startSecuredTestApp({
      env: LEGACY,
      database: first.database,
      channelPrefix: first.channelPrefix,
    });
    const token = await mintToken('dispatcher');
    try {
      const onSecond = await connectV4(legacySocketUrl(second), { auth: { token } });
      const onFirst = await connectV4(legacySocketUrl(first), { auth: { token } });
      await join(onSecond.socket, 'tracking');
      await join(onSecond.socket, 'crash');
      await join(onFirst.socket, 'LSR1');
      await postFields(
        `${first.url}${ENDPOINTS.tracking}`,
        trackingFields('LSR1', 10, { tracking_latitude: 3, tracking_longitude: 4 }),
      );
      await postFields(`${second.url}${ENDPOINTS.crash}`, trackingFields('LSR1', 1));
      await dataCount(onSecond.received, 2);
      await dataCount(onFirst.received, 1);
      await settle();
      assert.deepEqual(onSecond.received.data[0], {
        ambulance_id: 'LSR1',
        tracking_latitude: 3,
        tracking_longitude: 4,
        tracking_speed: 10,
        tracking_heading: 90,
      });
      assert.equal((onSecond.received.data[1] as { ambulance_id: string }).ambulance_id, 'LSR1');
      assert.equal(onFirst.received.data.length, 1, 'each event once per room');
      onSecond.socket.close();
      onFirst.socket.close();
    } finally {
      await second.close();
      await first.close();
    }
  });
});

describe('legacy Socket.IO endpoint while Redis is away', () => {
  it('the app starts without waiting for Redis, and dashboards get events once it is back', {
    timeout: 30_000,
  }, async () => {
    const redis = await startOwnRedis();
    await redis.stop();
    const uploadDir = await mkdtemp(path.join(os.tmpdir(), 'aoc-legacy-'));
    const prefix = `${uniqueName('t')}:`;
    const config = loadConfig({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      UPLOAD_DIR: uploadDir,
      EVENT_CHANNEL_PREFIX: prefix,
      LOG_LEVEL: 'silent',
      ...LEGACY,
      LEGACY_SOCKET_ALLOW_ANONYMOUS: 'true',
    });
    const logger = pino({ level: 'silent' });
    const bus = new RedisEventBus(redis.url, prefix, logger);
    // As main.ts does: not awaited, so the app starts while Redis is away.
    bus.connect().catch(() => {});
    const app = await startApp({ config, mongoUri: `${testEnv.mongoUri}${uniqueName('db')}`, bus, logger });
    try {
      const port = app.legacySocket?.port;
      const { socket, received } = await connectV4(`http://127.0.0.1:${port}`);
      await join(socket, 'tracking');
      await redis.start();
      await waitUntil(() => bus.isReady(), { message: 'redis back' });
      assert.equal((await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields('LSRB1'))).status, 200);
      await dataCount(received, 1);
      assert.equal((received.data[0] as { ambulance_id: string }).ambulance_id, 'LSRB1');
      socket.close();
    } finally {
      await app.close();
      await bus.close();
      await redis.stop();
      await rm(uploadDir, { recursive: true, force: true });
    }
  });
});
