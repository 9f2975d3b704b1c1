import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { type Heartbeat, startHeartbeat } from '../src/graphql/ws.heartbeat.js';
import { waitUntil } from './helpers/test-env.js';

const INTERVAL_MS = 800;
const CLIENTS = 80;

/** A client that records when the server pinged it; `silent` ones never answer. */
function connect(port: number, silent: boolean) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}`, { autoPong: !silent });
  const pings: number[] = [];
  socket.on('ping', () => pings.push(performance.now()));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, pings, closed, opened };
}

describe('the WebSocket heartbeat (real ws server and clients)', () => {
  let server: WebSocketServer;
  let heartbeat: Heartbeat;
  let clients: Array<ReturnType<typeof connect>>;
  let silent: ReturnType<typeof connect>;

  before(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    heartbeat = startHeartbeat(server.clients, INTERVAL_MS);
    server.on('connection', (socket) => socket.on('pong', () => heartbeat.answered(socket)));
    const { port } = server.address() as AddressInfo;
    clients = Array.from({ length: CLIENTS }, () => connect(port, false));
    silent = connect(port, true);
    await Promise.all([...clients, silent].map((client) => client.opened));
  });

  after(async () => {
    heartbeat.stop();
    for (const client of [...clients, silent]) client.socket.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('pings every socket each round, a slice at a time, and keeps those that answer', async () => {
    await waitUntil(() => clients.every((client) => client.pings.length >= 2), {
      timeoutMs: INTERVAL_MS * 6,
      message: 'every client pinged twice',
    });
    const firstPings = clients.map((client) => client.pings[0] as number);
    // Not all in one turn: the first pings of the round span a good part of the interval.
    assert.ok(Math.max(...firstPings) - Math.min(...firstPings) > INTERVAL_MS / 4, 'pings spread over the round');
    // Each socket once per round: its second ping about an interval after its first.
    for (const { pings } of clients) {
      const gap = (pings[1] as number) - (pings[0] as number);
      assert.ok(gap > INTERVAL_MS / 2 && gap < INTERVAL_MS * 2, `ping gap ${gap} ms`);
    }
    assert.ok(clients.every((client) => client.socket.readyState === WebSocket.OPEN));
  });

  it('terminates a socket that did not answer its previous ping', async () => {
    await silent.closed;
    assert.ok(silent.pings.length >= 1);
    assert.ok(clients.every((client) => client.socket.readyState === WebSocket.OPEN));
    assert.equal(server.clients.size, CLIENTS);
  });
});
