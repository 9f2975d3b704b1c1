import type { Principal } from '../auth/principal.js';
import type { CrashHandling } from '../dispatch/crash-handling.service.js';
import type { PlaceCatalog } from '../dispatch/place.catalog.js';
import type { UnitStatusService } from '../dispatch/unit-status.service.js';
import type { ConnectivityRules } from '../domain/connectivity.rules.js';
import type { EtaEstimator } from '../domain/eta.estimate.js';
import type { EventBus } from '../events/event-bus.js';
import type { LatestPositions } from '../events/latest-positions.js';
import type { Models } from '../models/models.js';
import type { LogStreams } from '../streams/log.streams.js';
import type { UploadBudget } from '../uploads/upload.budget.js';
import type { UploadUrlSigner } from '../uploads/upload-url.signer.js';
import type { SnapshotService } from '../writes/snapshot.service.js';
import type { Loaders } from './graphql.loaders.js';

/** Dispatch awareness (src/dispatch): places, unit status, crash handling, connectivity and ETA rules. */
export interface DispatchServices {
  readonly places: PlaceCatalog;
  readonly statuses: UnitStatusService;
  readonly crashes: CrashHandling;
  readonly connectivity: ConnectivityRules;
  readonly eta: EtaEstimator;
}

/** What resolvers need from the running app; one per app instance. */
export interface GraphQLServices {
  readonly models: Models;
  readonly bus: EventBus;
  /** The newest position of each ambulance from live events, ahead of the fleet documents' projection rounds. */
  readonly latestPositions: LatestPositions;
  /** The resumable, log-ordered streams the subscriptions read. */
  readonly streams: LogStreams;
  readonly snapshotService: SnapshotService;
  /** Upload bytes in flight in this process, shared with the REST upload endpoint. */
  readonly uploadBudget: UploadBudget;
  /** Signs image URLs; null in open mode (URLs unsigned). */
  readonly uploadUrls: UploadUrlSigner | null;
  readonly pageSize: { readonly default: number; readonly max: number };
  readonly subscriptionQueueLimit: number;
  readonly dispatch: DispatchServices;
}

export interface GraphQLContext {
  readonly services: GraphQLServices;
  readonly loaders: Loaders;
  /** The authenticated caller (in open mode, a dispatcher). */
  readonly principal: Principal;
  /** Part of the shared-subscription key: everything that changes what this caller may see (role and scope). */
  readonly subscriptionScope: string;
  /** The HTTP request's id (or the WebSocket upgrade request's), for logs. */
  readonly requestId: string;
}
