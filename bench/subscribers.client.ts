/**
 * One client process of bench:subscribers: opens its share of graphql-ws connections (one trackingUpdated
 * subscription each, from 127.0.0.1..127.0.0.n in turn), then counts what arrives. Driven over IPC by the bench.
 */
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface ClientJob {
  readonly wsUrl: string;
  readonly token: string;
  /** One entry per connection: the ambulance it watches, or null for the whole fleet. */
  readonly watches: ReadonlyArray<string | null>;
  readonly sourceAddresses: number;
  readonly concurrency: number;
}

export type ToClient = { type: 'connect'; job: ClientJob } | { type: 'report' } | { type: 'close' };

export interface ClientReport {
  readonly connected: number;
  readonly failed: number;
  readonly closedAfterConnect: number;
  readonly failures: readonly string[];
  /** Deliveries per point (by its sequence number), each subscriber counted once per point. */
  readonly perPoint: Readonly<Record<number, number>>;
  readonly duplicates: number;
  readonly misrouted: number;
}

export type FromClient = { type: 'connected'; report: ClientReport } | { type: 'report'; report: ClientReport };

export const LATITUDE_BASE = 40;
export const LATITUDE_STEP = 1e-5;
export const seqOfLatitude = (latitude: number) => Math.round((latitude - LATITUDE_BASE) / LATITUDE_STEP);

const QUERY = 'subscription($id: ID) { trackingUpdated(ambulanceId: $id) { ambulanceId latitude } }';

const clients: Client[] = [];
const perPoint: Record<number, number> = {};
const failures: string[] = [];
let connected = 0;
let failed = 0;
let closedAfterConnect = 0;
let duplicates = 0;
let misrouted = 0;

type SocketClass = new (address: string, protocols?: string | string[]) => WebSocket;

function boundTo(localAddress: string): SocketClass {
  return class extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { localAddress });
    }
  };
}

function open(job: ClientJob, index: number, sockets: readonly SocketClass[]): Promise<void> {
  const watch = job.watches[index] ?? null;
  const received = new Set<number>();
  let acknowledged = false;
  return new Promise((resolve) => {
    const client = createClient({
      url: job.wsUrl,
      webSocketImpl: sockets[index % sockets.length],
      retryAttempts: 0,
      lazy: false,
      connectionParams: { authorization: `Bearer ${job.token}` },
      on: {
        connected: () => {
          acknowledged = true;
          connected += 1;
          resolve();
        },
        closed: (event) => {
          const { code, reason } = event as { code?: number; reason?: string };
          if (acknowledged) closedAfterConnect += 1;
          else failed += 1;
          if (failures.length < 5) failures.push(`${code ?? '?'} ${reason ?? ''}`.trim());
          resolve();
        },
      },
    });
    clients.push(client);
    client.subscribe<{ trackingUpdated: { ambulanceId: string; latitude: number } }>(
      { query: QUERY, variables: { id: watch } },
      {
        next: (result) => {
          const event = result.data?.trackingUpdated;
          if (!event) return;
          if (watch !== null && event.ambulanceId !== watch) misrouted += 1;
          const seq = seqOfLatitude(event.latitude);
          if (received.has(seq)) duplicates += 1;
          else {
            received.add(seq);
            perPoint[seq] = (perPoint[seq] ?? 0) + 1;
          }
        },
        error: (error) => {
          if (failures.length < 5) failures.push(`subscription error: ${JSON.stringify(error).slice(0, 200)}`);
        },
        complete: () => {},
      },
    );
  });
}

async function connectAll(job: ClientJob): Promise<void> {
  const sockets = Array.from({ length: job.sourceAddresses }, (_, k) => boundTo(`127.0.0.${k + 1}`));
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < job.watches.length; index = next++) await open(job, index, sockets);
  };
  await Promise.all(Array.from({ length: job.concurrency }, lane));
}

const report = (): ClientReport => ({
  connected,
  failed,
  closedAfterConnect,
  failures,
  perPoint,
  duplicates,
  misrouted,
});
const send = (message: FromClient) => process.send?.(message);

process.on('message', (message: ToClient) => {
  if (message.type === 'connect')
    void connectAll(message.job).then(() => send({ type: 'connected', report: report() }));
  else if (message.type === 'report') send({ type: 'report', report: report() });
  else {
    for (const client of clients) void client.dispose();
    setTimeout(() => process.exit(0), 500).unref();
  }
});
// The bench going away (or being killed) ends this process too.
process.on('disconnect', () => process.exit(0));
