import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response } from 'express';
import { GraphQLError } from 'graphql';
import { graphqlUploadExpress } from 'graphql-upload-minimal';
import mongoose, { type Connection } from 'mongoose';
import type { Logger } from 'pino';
import { type Alerts, createAlerts } from '../alerts/alerts.js';
import { authenticatorFor } from '../auth/authenticator.js';
import { authenticateGraphQLRequest, principalOf } from '../auth/http.auth.js';
import { authorizationKeyOf, type Principal } from '../auth/principal.js';
import type { AppConfig } from '../config/env.config.js';
import { createDashboardRouter, DASHBOARD_PATH } from '../dashboard/dashboard.router.js';
import { createDispatch, type Dispatch } from '../dispatch/dispatch.setup.js';
import { GraphQLErrorCode } from '../errors/error.codes.js';
import { EventPublisher } from '../events/event.publisher.js';
import type { EventBus } from '../events/event-bus.js';
import { LatestPositions } from '../events/latest-positions.js';
import { maskError } from '../graphql/error.mask.js';
import { graphqlWsOptions } from '../graphql/graphql-ws.options.js';
import { buildAppSchema } from '../graphql/schema.build.js';
import { SharedSubscriptions } from '../graphql/shared-subscriptions.js';
import { serveGraphqlWs } from '../graphql/ws.transport.js';
import { clientAddressResolver } from '../http/client-address.js';
import { requestIdOf } from '../http/request-id.js';
import { DeviceTimeMonitor } from '../ingest/device-time.monitor.js';
import { ingestGuardFor } from '../ingest/ingest.guard.js';
import { createIngestHandler } from '../ingest/ingest.handler.js';
import type { LegacySocketServer } from '../legacy-socket/legacy-socket.server.js';
import { costLimitPlugin, graphqlLimitsOf, limitRules, parseOptionsFor } from '../limits/graphql.limits.js';
import { OriginPolicy } from '../limits/origin.policy.js';
import { rateLimitStoreFor } from '../limits/rate-limit.store.js';
import { createLimitedWebSocketServer } from '../limits/ws.limits.js';
import { migrateLastPositionLayout } from '../models/last-position.order.js';
import { createModels, type Models } from '../models/models.js';
import { createStoreIndexes, filterEvaluationIn } from '../models/store.indexes.js';
import { WriteLane } from '../models/write.lane.js';
import { Operations } from '../ops/operations.js';
import { shutdownBudget } from '../ops/shutdown.budget.js';
import type { GraphQLContext, GraphQLServices } from '../resolvers/graphql.context.js';
import { Loaders } from '../resolvers/graphql.loaders.js';
import { LogStreams } from '../streams/log.streams.js';
import { ImageStorage } from '../uploads/image.storage.js';
import { UploadBudget } from '../uploads/upload.budget.js';
import { UploadSpool } from '../uploads/upload.spool.js';
import { UploadUrlSigner } from '../uploads/upload-url.signer.js';
import { createUploadsRouter, UPLOADS_PATH } from '../uploads/uploads.router.js';
import { AmbulanceProjector } from '../writes/ambulance.projector.js';
import { CrashService } from '../writes/crash.service.js';
import { SnapshotService } from '../writes/snapshot.service.js';
import { TrackingWriter } from '../writes/tracking.writer.js';

export interface AppOptions {
  readonly config: AppConfig;
  readonly mongoUri: string;
  readonly bus: EventBus;
  readonly logger: Logger;
}

export interface RunningApp {
  readonly url: string;
  readonly port: number;
  readonly httpServer: http.Server;
  readonly connection: Connection;
  readonly models: Models;
  readonly publisher: EventPublisher;
  readonly trackingWriter: TrackingWriter;
  /** The newest position of each ambulance from live events (served as lastPosition between projection rounds). */
  readonly latestPositions: LatestPositions;
  /** REST snapshot uploads in progress: in-flight bytes and bytes held in memory. */
  readonly uploadSpool: UploadSpool;
  readonly subscriptions: SharedSubscriptions;
  /** The log-ordered, resumable streams behind the subscriptions. */
  readonly streams: LogStreams;
  /** Health, readiness, metrics and request ids. */
  readonly ops: Operations;
  /** Outbound alert webhooks and crash escalation; `alerts.outbox.enqueueEvent(record)` takes ambulance events. */
  readonly alerts: Alerts;
  /** The legacy Socket.IO endpoint for unmodified dashboards; null unless LEGACY_SOCKET_PORT is set. */
  readonly legacySocket: LegacySocketServer | null;
  /** Dispatch awareness: the event log (`dispatch.recorder.onRecorded`), places, statuses, connectivity. */
  readonly dispatch: Dispatch;
  /** Stops accepting, finishes in-flight work, closes sockets and the database connection. The bus is the caller's. */
  close(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';
const GRAPHQL_JSON_LIMIT = '1mb';

export async function connectMongo(uri: string, config: AppConfig): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    // Fail fast while MongoDB is away, so ingest answers 503 instead of holding requests.
    bufferCommands: false,
    serverSelectionTimeoutMS: config.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
    // A write that hangs (a half-open connection, a stuck server) fails instead of blocking the write lane.
    socketTimeoutMS: config.MONGODB_SOCKET_TIMEOUT_MS,
    // Command monitoring costs a little on every command; tests and diagnostics switch it on.
    monitorCommands: config.MONGODB_MONITOR_COMMANDS,
    autoIndex: false,
  });
  await connection.asPromise();
  return connection;
}

/** Multipart GraphQL requests are refused before their files are read unless they carry a CSRF preflight header. */
function requirePreflightForMultipart(request: Request, response: Response, next: NextFunction) {
  if (!request.is('multipart/form-data')) return next();
  if (request.headers['apollo-require-preflight'] || request.headers['x-apollo-operation-name']) return next();
  response.status(400).json({
    errors: [
      {
        message:
          'This multipart request was blocked as a possible CSRF. Send the header "Apollo-Require-Preflight: true" with uploads.',
        extensions: { code: GraphQLErrorCode.BadRequest },
      },
    ],
  });
}

export async function startApp(options: AppOptions): Promise<RunningApp> {
  const { config, bus, logger } = options;
  const connection = await connectMongo(options.mongoUri, config);
  const models = createModels(connection, {
    size: config.STREAM_RESERVE_POSITIONS,
    holdMs: config.STREAM_RESERVE_HOLD_MS,
    soleWriterAfterMs: config.STREAM_RESERVE_AFTER_MS,
  });
  const ops = new Operations({ config, connection, bus, logger });
  const budget = shutdownBudget(config.SHUTDOWN_GRACE_SECONDS);
  try {
    const evaluation = await filterEvaluationIn(models.collections.trackings, (error) =>
      logger.warn(
        { err: error.message },
        'could not ask the database how it evaluates filters: every index is created',
      ),
    );
    if (evaluation === 'document-by-document') {
      logger.info('the database evaluates filters document by document (FerretDB v1): only unique indexes are created');
    }
    await createStoreIndexes(
      [
        models.tracking,
        models.crash,
        models.imageRecord,
        models.imageHistory,
        models.speedingEpisode,
        models.ambulanceEvent,
        models.alertOutbox,
        models.alertClaim,
      ],
      evaluation,
    );
  } catch (error) {
    logger.error(
      { err: (error as Error).message },
      'could not create indexes: queries will be slower, and without the unique `seq` indexes resumed ' +
        'subscriptions may miss or repeat items',
    );
  }
  const rewrittenPositions = await migrateLastPositionLayout(models.collections.ambulances);
  if (rewrittenPositions > 0) logger.info({ rewrittenPositions }, 'fleet positions rewritten in the current layout');

  const publisher = new EventPublisher(bus, config.PUBLISH_OUTBOX_LIMIT, logger, ops.metrics);
  const alerts = createAlerts({ config, models, registry: ops.metrics.registry, logger });
  // Point inserts have a lane of their own; everything that upserts shares the other, because FerretDB's
  // SQLite backend can deadlock on overlapping upserts (inserts beside upserts were measured to be fine).
  const pointLane = new WriteLane();
  const lane = new WriteLane();
  const projector = new AmbulanceProjector(models, lane, config.PROJECTION_INTERVAL_MS, logger);
  const trackingWriter = new TrackingWriter(
    models,
    publisher,
    projector,
    pointLane,
    config.INGEST_BATCH_MAX,
    logger,
    config.INGEST_EPISODE_CACHE_SIZE,
  );
  const crashService = new CrashService(
    models,
    publisher,
    lane,
    { duplicateWindowSeconds: config.CRASH_DUPLICATE_WINDOW_SECONDS, googleMapKey: config.GOOGLE_MAP_KEY },
    logger,
  );
  // Every instance follows the fleet's positions, so lastPosition is current between projection rounds.
  const latestPositions = new LatestPositions();
  // Not awaited: the app starts while Redis is away (the subscription is made once it is back).
  latestPositions.follow(bus).catch((error: unknown) => {
    logger.error(
      { err: (error as Error).message },
      'could not follow the fleet positions; lastPosition is from storage',
    );
  });
  const dispatch = createDispatch(config, { models, publisher, lane, latest: latestPositions, logger });
  trackingWriter.onStored((events) => dispatch.monitor.pointsStored(events));
  crashService.onStored((crash) => dispatch.monitor.crashStored(crash));
  // Alerts are enqueued once their event is stored; a failed enqueue is retried in the background.
  // Repeats too: the outbox's ids derive from the event's, so a repeat stores nothing unless the first enqueue was lost.
  dispatch.recorder.onRecorded(alerts.outbox.onEventRecorded, { repeats: true });
  const imageStorage = new ImageStorage(config.UPLOAD_DIR);
  const bodyLimits = {
    maxBodyBytes: config.INGEST_MAX_BODY_BYTES,
    maxFileBytes: config.UPLOAD_MAX_FILE_BYTES,
    maxFiles: config.UPLOAD_MAX_FILES,
  };
  // REST and GraphQL uploads draw on one budget of bytes in flight.
  const uploadBudget = new UploadBudget(config.UPLOAD_MAX_INFLIGHT_BYTES);
  const uploadSpool = new UploadSpool(
    imageStorage.incomingDirectory,
    bodyLimits,
    uploadBudget,
    config.UPLOAD_BODY_TIMEOUT_SECONDS * 1000,
  );
  const snapshotService = new SnapshotService(models, imageStorage, publisher, lane, config.UPLOAD_MAX_FILES);
  const uploadUrls = UploadUrlSigner.fromConfig(config);
  const streams = new LogStreams(
    bus,
    models,
    {
      abandonMs: config.STREAM_GAP_ABANDON_MS,
      pollMs: config.STREAM_POLL_INTERVAL_MS,
      pageSize: config.STREAM_REPLAY_PAGE_SIZE,
      maxResumeAgeMs: config.STREAM_RESUME_MAX_AGE_HOURS * 3_600_000,
    },
    logger,
  );
  const services: GraphQLServices = {
    models,
    latestPositions,
    uploadUrls,
    bus,
    streams,
    snapshotService,
    uploadBudget,
    pageSize: { default: config.HISTORY_DEFAULT_PAGE_SIZE, max: config.HISTORY_MAX_PAGE_SIZE },
    subscriptionQueueLimit: config.SUBSCRIPTION_QUEUE_LIMIT,
    dispatch,
  };
  const createContext = (principal: Principal, requestId: string): GraphQLContext => ({
    services,
    loaders: new Loaders(models),
    principal,
    subscriptionScope: authorizationKeyOf(principal),
    requestId,
  });
  const authenticator = authenticatorFor(config, logger);
  const origins = new OriginPolicy(config.CORS_ORIGINS);
  const graphqlLimits = graphqlLimitsOf(config);
  const validationRules = limitRules(graphqlLimits);

  const schema = await buildAppSchema();
  // With REDIS_URL the rate limits are shared by every instance; until Redis answers each instance counts alone.
  const rateLimits = rateLimitStoreFor(config, logger);
  await rateLimits.ready(config.READINESS_TIMEOUT_MS);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', config.TRUST_PROXY);
  const handleIngest = createIngestHandler({
    trackingWriter,
    crashService,
    snapshotService,
    limits: bodyLimits,
    uploadSpool,
    deviceTimeMonitor: new DeviceTimeMonitor(logger, (reason) => ops.metrics.countIgnoredDeviceTime(reason)),
    deviceTimeBounds: {
      maxAgeMs: config.INGEST_DEVICE_TIME_MAX_AGE_HOURS * 3_600_000,
      maxAheadMs: config.INGEST_DEVICE_TIME_MAX_AHEAD_SECONDS * 1000,
    },
    guard: await ingestGuardFor(config, { models, rateLimits }),
    logger,
  });
  const countedIngest = ops.instrumentIngest(handleIngest);
  const httpServer = http.createServer(
    {
      // The client, never the server, closes an idle connection: see HTTP_KEEP_ALIVE_TIMEOUT_SECONDS.
      keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
      headersTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS * 1000 + 1000,
    },
    ops.serve((request, response) => {
      if (!countedIngest(request, response)) app(request, response);
    }),
  );

  const subscriptions = new SharedSubscriptions(config.SUBSCRIPTION_QUEUE_LIMIT);
  const wsServer = createLimitedWebSocketServer(
    httpServer,
    GRAPHQL_PATH,
    {
      maxPayloadBytes: config.WS_MAX_PAYLOAD_BYTES,
      maxMessagesPerMinute: config.WS_MAX_MESSAGES_PER_MINUTE,
      maxConnectionsPerAddress: config.WS_MAX_CONNECTIONS_PER_ADDRESS,
      clientAddress: clientAddressResolver(config.TRUST_PROXY),
    },
    origins,
  );
  const wsCleanup = serveGraphqlWs(
    graphqlWsOptions({
      schema,
      subscriptions,
      authenticator,
      createContext,
      limits: graphqlLimits,
      rules: validationRules,
      maxSubscriptions: config.WS_MAX_SUBSCRIPTIONS,
      maxConnectionsPerSubject: config.WS_MAX_CONNECTIONS_PER_SUBJECT,
      connectionInitTimeoutMs: config.WS_CONNECTION_INIT_TIMEOUT_MS,
      loggerFor: (requestId) => ops.loggerForRequestId(requestId),
    }),
    wsServer,
    {
      writeBatching: {
        busyAboveMessagesPerSecond: config.WS_BATCH_ABOVE_MESSAGES_PER_SECOND,
        maxDelayMs: config.WS_BATCH_MAX_DELAY_MS,
      },
    },
  );
  ops.observe({ publisher, subscriptions, webSockets: wsServer });

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    introspection: true,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    validationRules,
    parseOptions: parseOptionsFor(graphqlLimits),
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM/SIGINT and shuts the whole app down in order.
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => maskError(formatted, error, ops.graphql.loggerFor(error)),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: budget.httpDrainMs }),
      // Inline traces are for federated subgraphs, which this schema is not; Apollo would load their protobuf.
      ApolloServerPluginInlineTraceDisabled(),
      ops.graphql.plugin(),
      costLimitPlugin(graphqlLimits),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              ops.closeWebSockets();
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.use(UPLOADS_PATH, createUploadsRouter(config.UPLOAD_DIR, uploadUrls));
  app.use(DASHBOARD_PATH, createDashboardRouter(config));
  app.use(
    GRAPHQL_PATH,
    origins.corsMiddleware(),
    authenticateGraphQLRequest(authenticator),
    requirePreflightForMultipart,
    graphqlUploadExpress({
      // busboy reports the limit once a file reaches it: +1 lets a file of exactly the maximum through, as multer does.
      maxFileSize: config.UPLOAD_MAX_FILE_BYTES + 1,
      maxFiles: config.UPLOAD_MAX_FILES,
      // Same for fields: `operations` and `map` of exactly 64 KiB are accepted.
      maxFieldSize: 64 * 1024 + 1,
    }),
    express.json({ limit: GRAPHQL_JSON_LIMIT }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => createContext(principalOf(res), requestIdOf(req)),
    }),
  );
  app.use((error: unknown, _request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    const status =
      (error as { status?: number; statusCode?: number }).status ?? (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      response
        .status(status)
        .json({ errors: [{ message: (error as Error).message, extensions: { code: GraphQLErrorCode.BadRequest } }] });
      return;
    }
    logger.error({ err: error }, 'request failed');
    response.status(500).json({ errors: [new GraphQLError('Internal server error').toJSON()] });
  });

  // Loaded only when asked for: Socket.IO costs ~16 MB of memory in every instance that does not serve it.
  const legacySocket =
    config.LEGACY_SOCKET_PORT === undefined
      ? null
      : await (await import('../legacy-socket/legacy-socket.server.js')).startLegacySocketServer({
          config,
          bus,
          authenticator,
          origins,
          uploadUrls,
          logger,
          registry: ops.metrics.registry,
        });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.HOST, () => {
      httpServer.off('error', reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    await legacySocket?.close();
    throw error;
  });
  alerts.start();
  dispatch.connectivityMonitor.start();
  const port = (httpServer.address() as AddressInfo).port;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    port,
    httpServer,
    connection,
    models,
    publisher,
    trackingWriter,
    latestPositions,
    uploadSpool,
    subscriptions,
    streams,
    ops,
    alerts,
    legacySocket,
    dispatch,
    close() {
      closing ??= (async () => {
        // Not ready first, so traffic moves elsewhere; then stop accepting and drain.
        ops.readiness.markShuttingDown();
        // Closes at once (its clients reconnect elsewhere), so it never holds up the drain below.
        await legacySocket?.close();
        await apollo.stop();
        logger.debug('shutdown: http and websocket servers drained');
        await trackingWriter.drained();
        await dispatch.monitor.drained();
        await dispatch.connectivityMonitor.stop();
        await models.leases.stop();
        // Alerts in flight get the event outbox's share of the grace period; the rest wait in MongoDB.
        await alerts.close(budget.outboxFlushMs);
        projector.stop();
        if (!(await publisher.flush(budget.outboxFlushMs))) {
          // Stored data is safe; these notifications are not: say so rather than exit as if all went out.
          logger.error(
            { pending: publisher.pending },
            'shutdown: events not published (Redis away); other instances’ resumed subscriptions replay them from ' +
              'the store, but their live-only subscribers and legacy Socket.IO dashboards miss them',
          );
        }
        publisher.stop();
        logger.debug('shutdown: pending writes and events flushed');
        await subscriptions.close();
        latestPositions.stop();
        streams.stop();
        await rateLimits.close();
        await connection.close();
        logger.debug('shutdown: database connection closed');
      })();
      return closing;
    },
  };
}
