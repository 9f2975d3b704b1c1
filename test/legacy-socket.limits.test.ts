import assert from 'node:assert/strict';
import type { Socket as NetSocket } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Socket } from 'socket.io-client';
import { ENDPOINTS, postFields, trackingFields } from './helpers/http.client.js';
import { connectV4, dataCount, join, legacySocketUrl, legacyStats } from './helpers/legacy-socket.client.js';
import { sampleValue, scrape } from './helpers/metrics.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { waitUntil } from './helpers/test-env.js';

const ANONYMOUS = { LEGACY_SOCKET_PORT: '0', LEGACY_SOCKET_ALLOW_ANONYMOUS: 'true' };
const LISTED_ORIGIN = 'https://dispatch.example.org';

describe('legacy Socket.IO endpoint limits', () => {
  let app: TestApp;
  let url: string;
  const open: Socket[] = [];
  const client = async (options: Record<string, unknown> = {}) => {
    const connected = await connectV4(url, options);
    open.push(connected.socket);
    return connected;
  };
  const refusals = async (code: string) =>
    sampleValue(await scrape(app.url), 'aoc_legacy_socket_refusals_total', { code }) ?? 0;

  before(async () => {
    app = await startTestApp({
      env: {
        ...ANONYMOUS,
        LEGACY_SOCKET_MAX_ROOMS_PER_SOCKET: '2',
        LEGACY_SOCKET_MAX_CONNECTIONS_PER_ADDRESS: '2',
        LEGACY_SOCKET_MAX_MESSAGE_BYTES: '1024',
        LEGACY_SOCKET_MAX_PENDING_MESSAGES: '3',
        CORS_ORIGINS: LISTED_ORIGIN,
      },
    });
    url = legacySocketUrl(app);
  });
  after(async () => {
    for (const socket of open) socket.close();
    await app.close();
  });
  // Each test starts alone: connections from this machine count against one address.
  beforeEach(async () => {
    for (const socket of open.splice(0)) socket.close();
    if (app) await waitUntil(() => legacyStats(app).connections === 0, { message: 'earlier sockets gone' });
  });

  it('refuses a room beyond LEGACY_SOCKET_MAX_ROOMS_PER_SOCKET; joining a room again or after a leave is fine', async () => {
    const { socket, received } = await client();
    assert.equal((await join(socket, 'R1')).ok, true);
    assert.equal((await join(socket, 'R2')).ok, true);
    assert.equal((await join(socket, 'R2')).ok, true, 'already a member');
    const third = await join(socket, 'R3');
    assert.equal(third.code, 'TOO_MANY_ROOMS');
    await waitUntil(() => received.errors.length === 1);
    assert.match(received.errors[0]?.message ?? '', /at most 2 rooms/);
    await new Promise((resolve) => socket.emit('room_leave', 'R1', resolve));
    assert.equal((await join(socket, 'R3')).ok, true);
  });

  it('refuses connections beyond LEGACY_SOCKET_MAX_CONNECTIONS_PER_ADDRESS (the client address behind the proxy)', async () => {
    const from = (address: string) => ({ extraHeaders: { 'x-forwarded-for': address } });
    const first = await client(from('203.0.113.7'));
    await client(from('203.0.113.7'));
    await assert.rejects(client(from('203.0.113.7')));
    const handshake = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, {
      headers: { 'x-forwarded-for': '203.0.113.7' },
    });
    assert.equal(handshake.status, 403);
    assert.match(
      ((await handshake.json()) as { message: string }).message,
      /TOO_MANY_CONNECTIONS: at most 2 legacy socket connections per address/,
    );
    await client(from('203.0.113.8'));
    first.socket.close();
    await waitUntil(
      async () =>
        (await fetch(`${url}/socket.io/?EIO=4&transport=polling`, { headers: { 'x-forwarded-for': '203.0.113.7' } }))
          .status === 200,
      { message: 'a slot freed' },
    );
    assert.ok((await refusals('TOO_MANY_CONNECTIONS')) >= 2);
  });

  it('closes a connection that sends a message larger than LEGACY_SOCKET_MAX_MESSAGE_BYTES', async () => {
    const { socket } = await client({ transports: ['websocket'] });
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    socket.emit('room_join', 'x'.repeat(4000));
    assert.equal(await closed, 'transport close');
  });

  it('refuses browser origins that are not listed in CORS_ORIGINS and never answers with CORS *', async () => {
    await assert.rejects(client({ transports: ['websocket'], extraHeaders: { origin: 'https://evil.example' } }));
    const refused = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, {
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(refused.status, 403);
    assert.notEqual(refused.headers.get('access-control-allow-origin'), '*');
    // Raw handshakes open sessions that count against their address until they time out: one of their own.
    const listed = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, {
      headers: { origin: LISTED_ORIGIN, 'x-forwarded-for': '198.51.100.1' },
    });
    assert.equal(listed.status, 200);
    assert.equal(listed.headers.get('access-control-allow-origin'), LISTED_ORIGIN);
    const { socket } = await client({ extraHeaders: { origin: LISTED_ORIGIN } });
    assert.equal(socket.connected, true);
  });

  it('drops a socket that stops reading once more than LEGACY_SOCKET_MAX_PENDING_MESSAGES wait, and keeps serving the others', async () => {
    const healthy = await client();
    await join(healthy.socket, 'tracking');
    // A long-polling client that connects, joins and then never polls again: its messages can only pile up.
    const handshake = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, {
      headers: { 'x-forwarded-for': '198.51.100.2' },
    });
    const opened = await handshake.text();
    assert.equal(handshake.status, 200, opened);
    const sid = (JSON.parse(opened.slice(1)) as { sid: string }).sid;
    const session = `${url}/socket.io/?EIO=4&transport=polling&sid=${sid}`;
    assert.equal((await fetch(session, { method: 'POST', body: '40' })).status, 200);
    assert.match(await (await fetch(session)).text(), /^40/);
    assert.equal((await fetch(session, { method: 'POST', body: '42["room_join","tracking"]' })).status, 200);
    await waitUntil(() => legacyStats(app).rooms === 2, { message: 'both joined' });
    const before = await refusals('SLOW_CONSUMER');

    for (let index = 0; index < 6; index += 1) {
      assert.equal((await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields('SLOW1'))).status, 200);
    }
    await dataCount(healthy.received, 6);
    await waitUntil(() => legacyStats(app).connections === 1, { message: 'the slow socket dropped' });
    assert.equal(await refusals('SLOW_CONSUMER'), before + 1);
    const gone = await fetch(session);
    assert.equal(gone.status, 400, 'its session is closed');
    assert.equal(healthy.socket.connected, true);
  });
});

describe('legacy Socket.IO endpoint on shutdown', () => {
  it('closes at once; clients see the transport go (so they reconnect elsewhere), not a server disconnect', async () => {
    const app = await startTestApp({ env: ANONYMOUS });
    const { socket } = await connectV4(legacySocketUrl(app));
    const legacy = await connectV4(legacySocketUrl(app), { transports: ['polling'] });
    await join(socket, 'tracking');
    await join(legacy.socket, 'tracking');
    const reasons = Promise.all([
      new Promise<string>((resolve) => socket.once('disconnect', resolve)),
      new Promise<string>((resolve) => legacy.socket.once('disconnect', resolve)),
    ]);
    await app.close();
    // Both reasons make Socket.IO clients reconnect; "io server disconnect" would not.
    for (const reason of await reasons) assert.ok(['transport close', 'transport error'].includes(reason), reason);
    socket.close();
    legacy.socket.close();
  });
});

describe('legacy Socket.IO endpoint on shutdown, with a dashboard gone silent', () => {
  // A WebSocket close waits for the client's answer (up to 30 s in ws); a shutdown that waited would be cut off by
  // its grace period (20 s) before device data is drained. The test fails on its timeout if the endpoint waits.
  it('cuts a client that no longer answers instead of waiting for it', { timeout: 20_000 }, async () => {
    const app = await startTestApp({ env: ANONYMOUS });
    const { socket } = await connectV4(legacySocketUrl(app), { transports: ['websocket'] });
    await join(socket, 'tracking');
    // The dashboard's computer stops reading (asleep, network gone): nothing it is sent is answered.
    const engine = socket.io.engine as unknown as { transport: { ws?: { _socket?: NetSocket } } };
    const tcp = engine.transport.ws?._socket;
    assert.ok(tcp, 'a WebSocket transport');
    tcp.pause();
    const cut = new Promise<void>((resolve) => tcp.once('close', () => resolve()));
    await app.close();
    tcp.resume();
    await cut;
    socket.close();
  });
});
