import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { WebSocketServer } from 'ws';
import type { AppConfig } from '../config/env.config.js';
import type { EventPublisher } from '../events/event.publisher.js';
import type { EventBus } from '../events/event-bus.js';
import type { SharedSubscriptions } from '../graphql/shared-subscriptions.js';
import { assignRequestId, REQUEST_ID_HEADER, requestIdOf } from '../http/request-id.js';
import { AppMetrics } from './app.metrics.js';
import { GraphqlObservability } from './graphql.observability.js';
import { instrumentIngest } from './ingest.metrics.js';
import { createOpsEndpoints } from './ops.endpoints.js';
import { busProbe, mongoProbe, Readiness } from './readiness.js';

/** WebSocket close code 1012 "Service Restart": clients (graphql-ws among them) reconnect, through the proxy to another instance. */
export const SERVICE_RESTART_CLOSE_CODE = 1012;

export interface OperationsOptions {
  readonly config: AppConfig;
  readonly connection: Connection;
  readonly bus: EventBus;
  readonly logger: Logger;
}

/**
 * Health, readiness, metrics and request ids for one app, wired into its http.Server with a few calls:
 * `serve` wraps the request listener, `instrumentIngest` the device handler, `observe` connects the
 * scrape-time metrics, `graphql` gives the Apollo plugin and error loggers.
 */
export class Operations {
  readonly metrics = new AppMetrics();
  readonly readiness: Readiness;
  readonly graphql: GraphqlObservability;
  private webSockets: WebSocketServer | null = null;

  constructor(private readonly options: OperationsOptions) {
    this.readiness = new Readiness(
      [mongoProbe(options.connection), busProbe(options.bus)],
      options.config.READINESS_TIMEOUT_MS,
      options.logger,
    );
    this.graphql = new GraphqlObservability(this.metrics, options.logger);
  }

  /** The server's request listener: a request id for every request, the ops endpoints, then `next`. */
  serve(next: RequestListener): RequestListener {
    const opsEndpoints = createOpsEndpoints({
      metrics: this.metrics,
      readiness: this.readiness,
      metricsToken: this.options.config.METRICS_TOKEN,
      metricsNetworks: this.options.config.METRICS_ALLOWED_NETWORKS,
      logger: this.options.logger,
    });
    return (request, response) => {
      assignRequestId(request, response);
      if (!opsEndpoints(request, response)) next(request, response);
    };
  }

  instrumentIngest(
    handler: (request: IncomingMessage, response: ServerResponse) => boolean,
  ): (request: IncomingMessage, response: ServerResponse) => boolean {
    return instrumentIngest(handler, this.metrics);
  }

  observe(parts: {
    readonly publisher: EventPublisher;
    readonly subscriptions: SharedSubscriptions;
    readonly webSockets: WebSocketServer;
  }): void {
    this.webSockets = parts.webSockets;
    // The WebSocket handshake answers with the request id too.
    parts.webSockets.on('headers', (headers, request) => headers.push(`${REQUEST_ID_HEADER}: ${requestIdOf(request)}`));
    const webSockets = parts.webSockets;
    this.metrics.observe({
      connection: this.options.connection,
      bus: this.options.bus,
      publisher: parts.publisher,
      subscriptions: parts.subscriptions,
      webSocketConnections: () => webSockets.clients.size,
    });
  }

  /** A logger carrying the id of the request (HTTP, or a WebSocket connection's upgrade) it is about. */
  loggerForRequestId(requestId: string): Logger {
    return this.options.logger.child({ reqId: requestId });
  }

  /** Tells every WebSocket client to reconnect elsewhere (close code 1012) at the start of a shutdown. */
  closeWebSockets(): void {
    for (const client of this.webSockets?.clients ?? []) {
      client.close(SERVICE_RESTART_CLOSE_CODE, 'Service restart: reconnect');
    }
  }
}
