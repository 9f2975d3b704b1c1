import { Counter, Gauge, type Registry } from 'prom-client';
import { LegacySocketErrorCode } from './legacy-socket.errors.js';
import { ROOM_KINDS } from './legacy-socket.rooms.js';

/** What the gauges read when Prometheus scrapes: nothing is counted per event. */
export interface LegacySocketStats {
  readonly connections: number;
  /** Room memberships (a socket in two rooms counts twice), by room kind. */
  readonly joinedRooms: ReadonlyMap<string, number>;
}

/**
 * The legacy endpoint's metrics, in the app's registry: connected sockets and joined rooms show when the last
 * old dashboard is gone (the cut-over runbook watches them fall to zero); refusals show dashboards that fail.
 */
export class LegacySocketMetrics {
  private readonly refusals: Counter<'code'>;

  constructor(registry: Registry, stats: () => LegacySocketStats) {
    const registers = [registry];
    new Gauge({
      name: 'aoc_legacy_socket_connections',
      help: 'Connected legacy Socket.IO dashboards (port LEGACY_SOCKET_PORT).',
      registers,
      collect() {
        this.set(stats().connections);
      },
    });
    new Gauge({
      name: 'aoc_legacy_socket_joined_rooms',
      help: 'Rooms joined by legacy Socket.IO dashboards (memberships), by room kind.',
      labelNames: ['kind'],
      registers,
      collect() {
        const joined = stats().joinedRooms;
        for (const kind of ROOM_KINDS) this.set({ kind }, joined.get(kind) ?? 0);
      },
    });
    this.refusals = new Counter({
      name: 'aoc_legacy_socket_refusals_total',
      help: 'Legacy Socket.IO connections and room joins refused, and sockets dropped, by error code.',
      labelNames: ['code'],
      registers,
    });
    for (const code of Object.values(LegacySocketErrorCode)) this.refusals.labels(code).inc(0);
  }

  refused(code: string): void {
    this.refusals.labels(code).inc();
  }
}
