import { io, type Socket } from 'socket.io-client';
import ioV2 from 'socket.io-client-v2';
import type { TestApp } from './test-app.js';
import { waitUntil } from './test-env.js';

export type LegacyV2Socket = ReturnType<typeof ioV2>;

/** The address of an app's legacy Socket.IO endpoint (started with LEGACY_SOCKET_PORT=0). */
export function legacySocketUrl(app: TestApp): string {
  const server = app.app.legacySocket;
  if (!server) throw new Error('the app was started without LEGACY_SOCKET_PORT');
  return `http://127.0.0.1:${server.port}`;
}

/** What a client received: `data` payloads parsed from their JSON strings, and `error` events. */
export interface Received {
  readonly data: unknown[];
  readonly raw: unknown[];
  readonly errors: Array<{ code: string; message: string; room?: string }>;
  readonly messages: unknown[];
}

function record(socket: { on(event: string, listener: (...args: never[]) => void): unknown }): Received {
  const received: Received = { data: [], raw: [], errors: [], messages: [] };
  socket.on('data', (payload: unknown) => {
    received.raw.push(payload);
    received.data.push(typeof payload === 'string' ? JSON.parse(payload) : payload);
  });
  socket.on('error', (error: { code: string; message: string; room?: string }) => received.errors.push(error));
  socket.on('message', (message: unknown) => received.messages.push(message));
  return received;
}

/** A Socket.IO 4 client, connected (or rejected with the connect_error). No reconnection, so tests see refusals. */
export async function connectV4(
  url: string,
  options: Parameters<typeof io>[1] = {},
): Promise<{ socket: Socket; received: Received }> {
  const socket = io(url, { reconnection: false, forceNew: true, ...options });
  const received = record(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
  return { socket, received };
}

/** A Socket.IO 2 client (Engine.IO 3, as `allowEIO3` serves them), connected. */
export async function connectV2(
  url: string,
  options: Record<string, unknown> = {},
): Promise<{ socket: LegacyV2Socket; received: Received }> {
  const socket = ioV2(url, { reconnection: false, forceNew: true, ...options });
  const received = record(socket);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Socket.IO 2 client did not connect')), 5000);
    // Before the connection an `error` event is the refusal; afterwards errors are recorded in `received`.
    const refused = (error: unknown) => {
      clearTimeout(timer);
      socket.close();
      reject(Object.assign(new Error('refused'), { data: error }));
    };
    socket.once('error', refused);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', refused);
      resolve();
    });
  });
  return { socket, received };
}

function request(socket: Socket | LegacyV2Socket, event: string, room: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${event} ${room}`)), 5000);
    (socket as LegacyV2Socket).emit(event, room, (answer: Record<string, unknown>) => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

/** Joins a room and waits for the server's answer (an acknowledgement; legacy dashboards send none). */
export const join = (socket: Socket | LegacyV2Socket, room: string) => request(socket, 'room_join', room);

export const leave = (socket: Socket | LegacyV2Socket, room: string) => request(socket, 'room_leave', room);

/** Waits until `received` holds at least `count` data payloads. */
export async function dataCount(received: Received, count: number, message = `${count} data events`): Promise<void> {
  await waitUntil(() => received.data.length >= count, { message });
}

/** Connected legacy sockets and joined rooms of an app, as its metrics gauges read them. */
export function legacyStats(app: TestApp): { connections: number; rooms: number } {
  const stats = app.app.legacySocket?.stats();
  if (!stats) throw new Error('no legacy socket endpoint');
  return { connections: stats.connections, rooms: [...stats.joinedRooms.values()].reduce((a, b) => a + b, 0) };
}
