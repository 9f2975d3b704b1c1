import type { Logger } from 'pino';
import type { AppConfig } from '../config/env.config.js';
import type { ConnectivityRules } from '../domain/connectivity.rules.js';
import { averageSpeedEta, type EtaEstimator } from '../domain/eta.estimate.js';
import type { EventPublisher } from '../events/event.publisher.js';
import type { LatestPositions } from '../events/latest-positions.js';
import type { Models } from '../models/models.js';
import type { WriteLane } from '../models/write.lane.js';
import { AmbulanceEventRecorder } from './ambulance-event.recorder.js';
import { ConnectivityMonitor } from './connectivity.monitor.js';
import { CrashHandling } from './crash-handling.service.js';
import { DispatchMonitor } from './dispatch.monitor.js';
import { PlaceCatalog } from './place.catalog.js';
import { PlaceVisitTracker } from './place-visit.tracker.js';
import { SpeedingAnnouncer } from './speeding.announcer.js';
import { UnitStatusService } from './unit-status.service.js';

export interface Dispatch {
  /** The event log: `recorder.onRecorded(listener)` hears every event this instance stores. */
  readonly recorder: AmbulanceEventRecorder;
  /** Hand it stored points and crashes; `drained()` waits until their events are derived. */
  readonly monitor: DispatchMonitor;
  readonly connectivityMonitor: ConnectivityMonitor;
  readonly places: PlaceCatalog;
  readonly statuses: UnitStatusService;
  readonly crashes: CrashHandling;
  readonly connectivity: ConnectivityRules;
  readonly eta: EtaEstimator;
}

/** Builds dispatch awareness from the configuration (docs/dispatch.md). The connectivity sweep is started apart. */
export function createDispatch(
  config: AppConfig,
  parts: { models: Models; publisher: EventPublisher; lane: WriteLane; latest: LatestPositions; logger: Logger },
): Dispatch {
  const { models, publisher, lane, latest, logger } = parts;
  const recorder = new AmbulanceEventRecorder(models, publisher, logger);
  const places = new PlaceCatalog(models);
  const statuses = new UnitStatusService(models, lane, recorder);
  const crashes = new CrashHandling(models, lane, recorder);
  const connectivity = {
    staleAfterMs: config.STALE_AFTER_SECONDS * 1000,
    offlineAfterMs: config.OFFLINE_AFTER_SECONDS * 1000,
  };
  const connectivityMonitor = new ConnectivityMonitor(
    models,
    lane,
    recorder,
    latest,
    connectivity,
    config.CONNECTIVITY_SWEEP_SECONDS * 1000,
    logger,
  );
  const visits = new PlaceVisitTracker(models, lane, places, recorder, statuses, {
    dwellMs: config.PLACE_DWELL_SECONDS * 1000,
    exitMarginMeters: config.PLACE_EXIT_MARGIN_METERS,
  });
  const monitor = new DispatchMonitor(visits, connectivityMonitor, new SpeedingAnnouncer(recorder), crashes, logger);
  return {
    recorder,
    monitor,
    connectivityMonitor,
    places,
    statuses,
    crashes,
    connectivity,
    eta: averageSpeedEta(config.ETA_AVERAGE_SPEED_KMH),
  };
}
