import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { HeartbeatRounds, SLICES_PER_ROUND, startHeartbeat } from '../src/graphql/ws.heartbeat.js';
import { waitUntil } from './helpers/test-env.js';

const CLIENTS = 80;

/** A client that counts the server's pings; a `silent` one never answers them. */
function connect(port: number, silent: boolean) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}`, { autoPong: !silent });
  let pings = 0;
  socket.on('ping', () => {
    pings += 1;
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    get pings() {
      return pings;
    },
    closed,
    opened,
  };
}

/**
 * The rounds are ticked by the test instead of a timer (startHeartbeat ticks them every interval / 40), so what
 * is checked is which sockets each tick pings, not when.
 */
describe('the WebSocket heartbeat (real ws server and clients)', () => {
  let server: WebSocketServer;
  let rounds: HeartbeatRounds;
  let clients: Array<ReturnType<typeof connect>>;
  let silent: ReturnType<typeof connect>;
  let pongs = 0;

  before(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    rounds = new HeartbeatRounds(server.clients);
    server.on('connection', (socket) =>
      socket.on('pong', () => {
        pongs += 1;
        rounds.answered(socket);
      }),
    );
    const { port } = server.address() as AddressInfo;
    clients = Array.from({ length: CLIENTS }, () => connect(port, false));
    silent = connect(port, true);
    await Promise.all([...clients, silent].map((client) => client.opened));
    await waitUntil(() => server.clients.size === CLIENTS + 1, { message: 'every socket accepted' });
  });

  after(async () => {
    for (const client of [...clients, silent]) client.socket.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Ticks one whole round; returns what each tick did. */
  const tickRound = () => Array.from({ length: SLICES_PER_ROUND }, () => rounds.tick());

  it('pings every socket once per round, a slice per tick, and keeps those that answer', async () => {
    const first = tickRound();
    const perTick = Math.ceil((CLIENTS + 1) / SLICES_PER_ROUND);
    assert.ok(
      first.every((tick) => tick.pinged <= perTick),
      `no tick pinged more than ${perTick} of ${CLIENTS + 1} sockets`,
    );
    assert.equal(
      first.reduce((sum, tick) => sum + tick.pinged, 0),
      CLIENTS + 1,
    );
    await waitUntil(() => clients.every((client) => client.pings === 1) && silent.pings === 1, {
      message: 'each socket pinged once',
    });
    await waitUntil(() => pongs === CLIENTS, { message: 'the answering clients answered' });

    const second = tickRound();
    assert.equal(
      second.reduce((sum, tick) => sum + tick.pinged, 0),
      CLIENTS,
    );
    assert.equal(
      second.reduce((sum, tick) => sum + tick.terminated, 0),
      1,
      'the silent socket',
    );
    await waitUntil(() => clients.every((client) => client.pings === 2), { message: 'each client pinged twice' });
    assert.ok(clients.every((client) => client.socket.readyState === WebSocket.OPEN));
  });

  it('terminates a socket that did not answer its previous ping, and only that one', async () => {
    // The second round reached the silent socket: it had not answered the first ping.
    await silent.closed;
    assert.equal(silent.pings, 1, 'terminated instead of pinged again');
    assert.ok(clients.every((client) => client.socket.readyState === WebSocket.OPEN));
    await waitUntil(() => server.clients.size === CLIENTS, { message: 'the server let go of the silent socket' });
  });
});

describe('startHeartbeat (its own timer)', () => {
  it('ticks the rounds by itself: a socket that never answers is terminated, one that answers is kept', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const heartbeat = startHeartbeat(server.clients, 1000);
    server.on('connection', (socket) => socket.on('pong', () => heartbeat.answered(socket)));
    const { port } = server.address() as AddressInfo;
    const answering = connect(port, false);
    const silent = connect(port, true);
    try {
      await Promise.all([answering.opened, silent.opened]);
      await silent.closed;
      assert.ok(answering.pings >= 1, 'the answering socket was pinged too');
      assert.equal(answering.socket.readyState, WebSocket.OPEN);
    } finally {
      heartbeat.stop();
      answering.socket.terminate();
      silent.socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
