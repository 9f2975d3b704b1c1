import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket as TcpSocket } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import proxyaddr from 'proxy-addr';
import { Server, type Socket } from 'socket.io';
import type { Authenticator } from '../auth/authenticator.js';
import type { Principal } from '../auth/principal.js';
import type { AppConfig } from '../config/env.config.js';
import type { EventBus, Unsubscribe } from '../events/event-bus.js';
import { Topics } from '../events/topics.js';
import type { OriginPolicy } from '../limits/origin.policy.js';
import type { UploadUrlSigner } from '../uploads/upload-url.signer.js';
import { legacyPrincipalOf } from './legacy-socket.auth.js';
import { ConnectionsPerAddress } from './legacy-socket.connections.js';
import { type LegacySocketError, LegacySocketErrorCode, refusal } from './legacy-socket.errors.js';
import { LegacySocketMetrics, type LegacySocketStats } from './legacy-socket.metrics.js';
import { legacyCrashPayload, legacySnapshotPayload, legacyTrackingPayload } from './legacy-socket.payloads.js';
import {
  checkRoomAccess,
  classifyRoom,
  crashRooms,
  roomNameOf,
  snapshotRooms,
  trackingRooms,
} from './legacy-socket.rooms.js';

export type LegacySocketConfig = Pick<
  AppConfig,
  | 'HOST'
  | 'TRUST_PROXY'
  | 'LEGACY_SOCKET_PORT'
  | 'LEGACY_SOCKET_ALLOW_ANONYMOUS'
  | 'LEGACY_SOCKET_MAX_ROOMS_PER_SOCKET'
  | 'LEGACY_SOCKET_MAX_CONNECTIONS_PER_ADDRESS'
  | 'LEGACY_SOCKET_MAX_MESSAGE_BYTES'
  | 'LEGACY_SOCKET_MAX_PENDING_MESSAGES'
>;

export interface LegacySocketOptions {
  readonly config: LegacySocketConfig;
  readonly bus: EventBus;
  readonly authenticator: Authenticator;
  readonly origins: OriginPolicy;
  readonly uploadUrls: UploadUrlSigner | null;
  readonly logger: Logger;
  readonly registry: Registry;
}

/** Socket.IO's default path, which the legacy dashboards use (the proxy forwards it: deploy/nginx/nginx.conf). */
export const LEGACY_SOCKET_PATH = '/socket.io';
/** The legacy dashboards' event and the error event of this endpoint. */
const DATA_EVENT = 'data';
const ERROR_EVENT = 'error';
/** setTimeout's largest delay; longer waits are re-armed. */
const MAX_TIMER_MS = 2_147_483_647;
/** A client that opened the transport but never connected (or was refused) is closed after this. */
const CONNECT_TIMEOUT_MS = 10_000;

type Ack = (answer: { ok: true; room: string } | ({ ok: false } & LegacySocketError)) => void;

interface SocketData {
  principal: Principal;
}

/**
 * The legacy Socket.IO endpoint on a port of its own: dashboards join rooms with `room_join` / `room_leave` and
 * receive event `data` with a JSON string, as from the legacy server (docs/legacy-socket.md). Fed by the app's
 * event bus (with Redis, events from every instance); tokens, roles and ambulance scopes as in GraphQL.
 */
export class LegacySocketServer {
  private readonly io: Server;
  private readonly httpServer: http.Server;
  /** Every TCP connection of the endpoint, WebSocket ones included (the HTTP server forgets those at the upgrade). */
  private readonly connections = new Set<TcpSocket>();
  private readonly metrics: LegacySocketMetrics;
  private readonly perAddress: ConnectionsPerAddress;
  private readonly trust: ReturnType<typeof proxyaddr.compile>;
  private unsubscribes: Unsubscribe[] = [];
  private closing: Promise<void> | null = null;

  private constructor(private readonly options: LegacySocketOptions) {
    const { config, origins } = options;
    this.trust = proxyaddr.compile([...config.TRUST_PROXY]);
    this.perAddress = new ConnectionsPerAddress(config.LEGACY_SOCKET_MAX_CONNECTIONS_PER_ADDRESS);
    this.metrics = new LegacySocketMetrics(options.registry, () => this.stats());
    this.httpServer = http.createServer((_request, response) => {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: Socket.IO only (/socket.io/)\n');
    });
    this.httpServer.on('connection', (connection: TcpSocket) => {
      this.connections.add(connection);
      connection.once('close', () => this.connections.delete(connection));
    });
    this.io = new Server(this.httpServer, {
      path: LEGACY_SOCKET_PATH,
      allowEIO3: true,
      serveClient: false,
      maxHttpBufferSize: config.LEGACY_SOCKET_MAX_MESSAGE_BYTES,
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Browsers may read polling answers only from the listed origins (never `*`); allowRequest refuses the rest.
      cors: {
        origin: (origin, callback) => callback(null, origin !== undefined && origins.isListed(origin)),
        credentials: false,
        methods: ['GET', 'POST'],
      },
      allowRequest: (request, callback) => {
        const refused = this.admissionError(request);
        if (refused) {
          this.metrics.refused(refused.code);
          callback(`${refused.code}: ${refused.message}`, false);
        } else callback(null, true);
      },
    });
    this.io.engine.on(
      'connection',
      (connection: { request: IncomingMessage; once(event: 'close', f: () => void): void }) => {
        const address = this.addressOf(connection.request);
        this.perAddress.add(address);
        connection.once('close', () => this.perAddress.remove(address));
      },
    );
    this.io.use((socket, next) => {
      legacyPrincipalOf(socket.handshake, options.authenticator, config.LEGACY_SOCKET_ALLOW_ANONYMOUS).then(
        (result) => {
          if ('error' in result) {
            this.metrics.refused(result.error.code);
            next(refusal(result.error));
            return;
          }
          (socket.data as SocketData).principal = result.principal;
          next();
        },
        (error: unknown) => next(error instanceof Error ? error : new Error(String(error))),
      );
    });
    this.io.on('connection', (socket) => this.onConnection(socket));
  }

  static async start(options: LegacySocketOptions): Promise<LegacySocketServer> {
    const server = new LegacySocketServer(options);
    const subscribed = server.subscribe();
    // With Redis away the app still starts (events reach the bus once it is back); only a ready bus is waited for.
    if (options.bus.isReady()) await subscribed;
    try {
      await new Promise<void>((resolve, reject) => {
        server.httpServer.once('error', reject);
        server.httpServer.listen(options.config.LEGACY_SOCKET_PORT, options.config.HOST, () => {
          server.httpServer.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      await server.close();
      throw error;
    }
    if (options.config.LEGACY_SOCKET_ALLOW_ANONYMOUS) {
      options.logger.warn(
        { port: server.port },
        '*** LEGACY SOCKET.IO ENDPOINT ACCEPTS DASHBOARDS WITHOUT TOKENS (LEGACY_SOCKET_ALLOW_ANONYMOUS=true): anyone ' +
          'who reaches this port sees every ambulance live. Restrict the port to the dispatch network and switch ' +
          'it off once the last legacy dashboard is gone (docs/cutover-runbook.md). ***',
      );
    } else {
      options.logger.info({ port: server.port }, 'legacy Socket.IO endpoint listening (tokens required)');
    }
    return server;
  }

  /** Listens to the topics the app publishes, for the whole fleet; resolves once the bus has the subscriptions. */
  private async subscribe(): Promise<void> {
    const { bus, uploadUrls, logger } = this.options;
    const sign = uploadUrls ? (path: string) => uploadUrls.sign(path) : null;
    const subscriptions = [
      bus.subscribe(Topics.TrackingUpdated, null, (event) => {
        this.deliver(trackingRooms(event.ambulanceId), () => legacyTrackingPayload(event));
      }),
      bus.subscribe(Topics.CrashReported, null, (event) => {
        this.deliver(crashRooms(event.ambulanceId), () => legacyCrashPayload(event));
      }),
      bus.subscribe(Topics.SnapshotUploaded, null, (event) => {
        this.deliver(snapshotRooms(), () => legacySnapshotPayload(event, sign));
      }),
    ];
    await Promise.all(
      subscriptions.map((subscription) =>
        subscription.then(
          (unsubscribe) => {
            if (this.closing) unsubscribe();
            else this.unsubscribes.push(unsubscribe);
          },
          (error: unknown) => logger.error({ err: error }, 'legacy socket endpoint could not subscribe to events'),
        ),
      ),
    );
  }

  get port(): number {
    return (this.httpServer.address() as AddressInfo).port;
  }

  stats(): LegacySocketStats {
    const sockets = this.io.of('/').sockets;
    const joinedRooms = new Map<string, number>();
    for (const [name, members] of this.io.of('/').adapter.rooms) {
      if (sockets.has(name)) continue; // each socket's own room
      const kind = classifyRoom(name)?.kind;
      if (kind) joinedRooms.set(kind, (joinedRooms.get(kind) ?? 0) + members.size);
    }
    return { connections: sockets.size, joinedRooms };
  }

  /**
   * Stops at once: the sockets are closed without a Socket.IO "disconnect" packet, so clients reconnect (through
   * the proxy, to another instance); nothing waits for them.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const unsubscribe of this.unsubscribes) unsubscribe();
      this.unsubscribes = [];
      const closed = new Promise<void>((resolve) => {
        this.io.close(() => resolve());
      });
      this.httpServer.closeAllConnections();
      // A WebSocket close waits for the client's answer (up to 30 s in ws): a dashboard gone silent would hold
      // up the whole shutdown, and with it the drain of device data. Its connection is cut instead.
      for (const connection of this.connections) connection.destroy();
      await closed;
    })();
    return this.closing;
  }

  private addressOf(request: IncomingMessage): string {
    return proxyaddr(request, this.trust);
  }

  /** Why a handshake is refused before any session exists: the browser origin, or too many connections. */
  private admissionError(request: IncomingMessage): LegacySocketError | null {
    if (!this.options.origins.allowsWebSocket(request.headers.origin, request.headers.host)) {
      return {
        code: LegacySocketErrorCode.OriginNotAllowed,
        message: `origin ${String(request.headers.origin)} is not allowed: add it to CORS_ORIGINS`,
      };
    }
    const address = this.addressOf(request);
    if (!this.perAddress.allows(address)) {
      const max = this.options.config.LEGACY_SOCKET_MAX_CONNECTIONS_PER_ADDRESS;
      return {
        code: LegacySocketErrorCode.TooManyConnections,
        message: `at most ${max} legacy socket connections per address; close one first`,
      };
    }
    return null;
  }

  private onConnection(socket: Socket): void {
    const { principal } = socket.data as SocketData;
    if (principal.expiresAt !== null) {
      this.disconnectAtExpiry(socket, principal.expiresAt + this.options.authenticator.clockToleranceMs());
    }
    socket.on('room_join', (raw: unknown, ...rest: unknown[]) => this.join(socket, principal, raw, ackOf(rest)));
    socket.on('room_leave', (raw: unknown, ...rest: unknown[]) => {
      const name = roomNameOf(raw);
      if (name !== null && name !== socket.id) void socket.leave(name);
      ackOf(rest)?.(name === null ? { ok: false, ...invalidRoom(raw) } : { ok: true, room: name });
    });
  }

  private join(socket: Socket, principal: Principal, raw: unknown, ack: Ack | undefined): void {
    const name = roomNameOf(raw);
    const access = name === null ? { error: invalidRoom(raw) } : checkRoomAccess(name, principal.ambulances);
    let error = 'error' in access ? access.error : null;
    const max = this.options.config.LEGACY_SOCKET_MAX_ROOMS_PER_SOCKET;
    if (!error && name !== null && !socket.rooms.has(name) && socket.rooms.size - 1 >= max) {
      error = {
        code: LegacySocketErrorCode.TooManyRooms,
        message: `at most ${max} rooms per connection; leave one first (room_leave)`,
        room: name,
      };
    }
    if (error || name === null) {
      const reported = error ?? invalidRoom(raw);
      this.metrics.refused(reported.code);
      socket.emit(ERROR_EVENT, reported);
      ack?.({ ok: false, ...reported });
      return;
    }
    void socket.join(name);
    ack?.({ ok: true, room: name });
  }

  /** Sends one event's legacy payload to each room that has members, as the legacy emit helper did. */
  private deliver(rooms: readonly string[], payloadOf: () => unknown): void {
    const adapterRooms = this.io.of('/').adapter.rooms;
    let payload: string | null = null;
    for (const room of rooms) {
      const members = adapterRooms.get(room);
      if (!members || members.size === 0) continue;
      payload ??= JSON.stringify(payloadOf());
      this.io.to(room).emit(DATA_EVENT, payload);
      this.dropSlowMembers(members);
    }
  }

  /** A socket whose unsent messages pile up (it stopped reading) is dropped rather than buffered without bound. */
  private dropSlowMembers(members: ReadonlySet<string>): void {
    const max = this.options.config.LEGACY_SOCKET_MAX_PENDING_MESSAGES;
    const sockets = this.io.of('/').sockets;
    for (const id of [...members]) {
      const socket = sockets.get(id);
      const pending = (socket?.conn as unknown as { writeBuffer?: unknown[] } | undefined)?.writeBuffer?.length ?? 0;
      if (!socket || pending <= max) continue;
      this.metrics.refused(LegacySocketErrorCode.SlowConsumer);
      this.options.logger.warn(
        { pending, address: this.addressOf(socket.request) },
        'legacy socket dropped: it does not read its messages',
      );
      // Closed at the transport, dropping what waits: the client reconnects (its dashboard joins its rooms again).
      socket.conn.close(true);
    }
  }

  private disconnectAtExpiry(socket: Socket, at: number): void {
    let timer: NodeJS.Timeout;
    const arm = () => {
      const wait = at - Date.now();
      if (wait <= 0) {
        socket.emit(ERROR_EVENT, {
          code: LegacySocketErrorCode.Unauthenticated,
          message: 'token expired; connect again with a new token',
        } satisfies LegacySocketError);
        socket.disconnect(true);
        return;
      }
      timer = setTimeout(arm, Math.min(wait, MAX_TIMER_MS));
    };
    arm();
    socket.once('disconnect', () => clearTimeout(timer));
  }
}

function ackOf(rest: readonly unknown[]): Ack | undefined {
  const last = rest.at(-1);
  return typeof last === 'function' ? (last as Ack) : undefined;
}

const invalidRoom = (raw: unknown): LegacySocketError => ({
  code: LegacySocketErrorCode.InvalidRoom,
  message: `room_join and room_leave take a room name (a string such as "tracking" or "332"), got ${typeof raw}`,
});

export const startLegacySocketServer = (options: LegacySocketOptions) => LegacySocketServer.start(options);
