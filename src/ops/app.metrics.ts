import type { Connection } from 'mongoose';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { EventPublisher, PublishObserver } from '../events/event.publisher.js';
import type { EventBus } from '../events/event-bus.js';
import type { Topic, TopicPayloads } from '../events/topics.js';
import type { SharedSubscriptions } from '../graphql/shared-subscriptions.js';
import { unhandledErrorCounts } from './process.errors.js';

/** What the scrape-time metrics read: nothing is counted on the hot path for these. */
export interface MetricSources {
  readonly connection: Connection;
  readonly bus: EventBus;
  readonly publisher: EventPublisher;
  readonly subscriptions: SharedSubscriptions;
  readonly webSocketConnections: () => number;
}

const RECORD_KIND: Record<Topic, string> = {
  TRACKING_UPDATED: 'tracking',
  CRASH_REPORTED: 'crash',
  SNAPSHOT_UPLOADED: 'snapshot',
  AMBULANCE_EVENT: 'dispatch_event',
};

/** Seconds from a record's acceptance to its event on the bus: milliseconds normally, minutes during a Redis outage. */
const PUBLISH_LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300];
const GRAPHQL_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const CODE_PATTERN = /^[A-Z][A-Z0-9_]{0,39}$/;

/**
 * When the record was accepted, from its event (tracking and crash: receipt time; snapshot: creation time;
 * dispatch event: the time of what caused it).
 */
function acceptedAtMs(payload: TopicPayloads[Topic]): number {
  if ('recordedAt' in payload) return Date.parse(payload.recordedAt);
  return Date.parse('createdAt' in payload ? payload.createdAt : payload.at);
}

type CounterChild = ReturnType<Counter<string>['labels']>;
type HistogramChild = ReturnType<Histogram<string>['labels']>;

/**
 * The app's Prometheus metrics, in a registry of its own (several apps can live in one process, as in
 * the tests). Hot-path metrics use label children bound once, so a request costs a map lookup and an
 * increment; state (outbox, sockets, connections) is read only when Prometheus scrapes.
 */
export class AppMetrics implements PublishObserver {
  readonly registry = new Registry();
  private sources: MetricSources | null = null;
  private readonly ingestRequests: Counter<'endpoint' | 'status'>;
  private readonly ingestChildren = new Map<string, Map<number, CounterChild>>();
  private readonly storedByTopic: Record<Topic, CounterChild>;
  private readonly latencyByTopic: Record<Topic, HistogramChild>;
  private readonly graphqlDuration: Histogram<'operation'>;
  private readonly graphqlErrors: Counter<'operation' | 'code'>;
  private readonly ignoredDeviceTimes: Counter<'reason'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    const sourced = <T>(read: (sources: MetricSources) => T, fallback: T) => {
      const sources = this.sources;
      return sources ? read(sources) : fallback;
    };

    this.ingestRequests = new Counter({
      name: 'aoc_ingest_requests_total',
      help: 'Device requests on the legacy endpoints, by endpoint and HTTP status.',
      labelNames: ['endpoint', 'status'],
      registers,
    });
    const stored = new Counter({
      name: 'aoc_records_stored_total',
      help: 'Records stored (each is then published once), by kind: tracking point, crash, snapshot.',
      labelNames: ['kind'],
      registers,
    });
    const latency = new Histogram({
      name: 'aoc_event_publish_latency_seconds',
      help: 'Time from a record being accepted to its event being taken by the event bus (Redis), by kind.',
      labelNames: ['kind'],
      buckets: PUBLISH_LATENCY_BUCKETS,
      registers,
    });
    const topics = Object.keys(RECORD_KIND) as Topic[];
    // Every kind is exported from the start, at zero, so rates and alerts see it before the first record.
    for (const topic of topics) {
      stored.labels(RECORD_KIND[topic]).inc(0);
      latency.zero({ kind: RECORD_KIND[topic] });
    }
    this.storedByTopic = Object.fromEntries(
      topics.map((topic) => [topic, stored.labels(RECORD_KIND[topic])]),
    ) as Record<Topic, CounterChild>;
    this.latencyByTopic = Object.fromEntries(
      topics.map((topic) => [topic, latency.labels(RECORD_KIND[topic])]),
    ) as Record<Topic, HistogramChild>;

    this.ignoredDeviceTimes = new Counter({
      name: 'aoc_ingest_device_time_ignored_total',
      help: 'Tracking points stored without their device time, which was out of bounds (ahead, too_old).',
      labelNames: ['reason'],
      registers,
    });
    for (const reason of ['ahead', 'too_old']) this.ignoredDeviceTimes.labels(reason).inc(0);

    this.graphqlDuration = new Histogram({
      name: 'aoc_graphql_operation_duration_seconds',
      help: 'GraphQL operations over HTTP, from request to response, by operation type.',
      labelNames: ['operation'],
      buckets: GRAPHQL_DURATION_BUCKETS,
      registers,
    });
    this.graphqlErrors = new Counter({
      name: 'aoc_graphql_errors_total',
      help: 'Errors in GraphQL responses over HTTP, by operation type and error code.',
      labelNames: ['operation', 'code'],
      registers,
    });

    const fromPublisher = (name: string, help: string, read: (publisher: EventPublisher) => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(sourced((sources) => read(sources.publisher), 0));
        },
      });
    fromPublisher('aoc_events_published_total', 'Events taken by the event bus.', (p) => p.published);
    fromPublisher(
      'aoc_event_publish_failures_total',
      'Event publish attempts the bus refused (Redis away); the events stay in the outbox.',
      (p) => p.failedAttempts,
    );
    fromPublisher('aoc_event_publish_retries_total', 'Retries of the event outbox after a failure.', (p) => p.retries);
    fromPublisher(
      'aoc_event_outbox_dropped_total',
      'Notifications dropped because the outbox was full (the data stays stored).',
      (p) => p.dropped,
    );
    new Gauge({
      name: 'aoc_event_outbox_size',
      help: 'Events waiting to be published.',
      registers,
      collect() {
        this.set(sourced((sources) => sources.publisher.pending, 0));
      },
    });
    new Gauge({
      name: 'aoc_websocket_connections',
      help: 'Open graphql-ws connections.',
      registers,
      collect() {
        this.set(sourced((sources) => sources.webSocketConnections(), 0));
      },
    });
    new Gauge({
      name: 'aoc_graphql_subscriptions',
      help: 'Live GraphQL subscriptions, by subscription field.',
      labelNames: ['field'],
      registers,
      collect() {
        this.reset();
        const counts = sourced((sources) => sources.subscriptions.subscribersByField(), new Map<string, number>());
        for (const [field, count] of counts) this.set({ field }, count);
      },
    });
    new Gauge({
      name: 'aoc_mongodb_up',
      help: '1 while the MongoDB connection is open, else 0.',
      registers,
      collect() {
        this.set(sourced((sources) => (sources.connection.readyState === 1 ? 1 : 0), 0));
      },
    });
    new Counter({
      name: 'aoc_unhandled_errors_total',
      help: 'Uncaught exceptions and unhandled promise rejections in this process.',
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        for (const [kind, count] of Object.entries(unhandledErrorCounts)) this.inc({ kind }, count);
      },
    });
  }

  /** Connects the scrape-time metrics to the running app's parts. */
  observe(sources: MetricSources): void {
    this.sources = sources;
    if (sources.bus.kind !== 'redis') return;
    const bus = sources.bus;
    new Gauge({
      name: 'aoc_redis_up',
      help: '1 while Redis takes events (connected, subscriptions restored), else 0.',
      registers: [this.registry],
      collect() {
        this.set(bus.isReady() ? 1 : 0);
      },
    });
  }

  countIgnoredDeviceTime(reason: string): void {
    this.ignoredDeviceTimes.labels(reason).inc();
  }

  countIngest(endpoint: string, status: number): void {
    let byStatus = this.ingestChildren.get(endpoint);
    if (!byStatus) {
      byStatus = new Map();
      this.ingestChildren.set(endpoint, byStatus);
    }
    let child = byStatus.get(status);
    if (!child) {
      child = this.ingestRequests.labels(endpoint, String(status));
      byStatus.set(status, child);
    }
    child.inc();
  }

  accepted(topic: Topic): void {
    this.storedByTopic[topic].inc();
  }

  published(topic: Topic, payload: TopicPayloads[Topic]): void {
    const seconds = (Date.now() - acceptedAtMs(payload)) / 1000;
    if (seconds >= 0) this.latencyByTopic[topic].observe(seconds);
  }

  observeGraphql(operation: string, seconds: number, errorCodes: readonly unknown[]): void {
    this.graphqlDuration.labels(operation).observe(seconds);
    for (const code of errorCodes) {
      this.graphqlErrors.labels(operation, typeof code === 'string' && CODE_PATTERN.test(code) ? code : 'OTHER').inc();
    }
  }
}
