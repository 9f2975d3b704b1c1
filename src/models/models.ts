import mongoose, { type Connection, type Model } from 'mongoose';
import {
  type AlertClaimDoc,
  type AlertClaimModel,
  type AlertOutboxDoc,
  type AlertOutboxModel,
  alertClaimModel,
  alertOutboxModel,
} from './alert-outbox.model.js';
import { type AmbulanceDoc, type AmbulanceModel, ambulanceModel } from './ambulance.model.js';
import { type AmbulanceEventDoc, type AmbulanceEventModel, ambulanceEventModel } from './ambulance-event.model.js';
import { type CrashDoc, type CrashModel, crashModel } from './crash.model.js';
import {
  type ImageHistoryDoc,
  type ImageHistoryModel,
  type ImageRecordDoc,
  type ImageRecordModel,
  imageHistoryModel,
  imageRecordModel,
} from './image.model.js';
import { type PlaceDoc, type PlaceModel, placeModel } from './place.model.js';
import { type PlaceVisitDoc, type PlaceVisitModel, placeVisitModel } from './place-visit.model.js';
import { PositionLeases, type ReserveOptions } from './position.leases.js';
import { type SpeedingEpisodeDoc, type SpeedingEpisodeModel, speedingEpisodeModel } from './speeding-episode.model.js';
import {
  type LogName,
  type SequencedCollection,
  STREAM_POSITIONS_COLLECTION,
  StreamPositions,
} from './stream.positions.js';
import { type TrackingDoc, type TrackingModel, trackingModel } from './tracking.model.js';

/** The driver collection behind a model, typed by its documents (ambulance `_id`s are strings, not ObjectIds). */
export type RawCollection<Doc extends mongoose.mongo.Document> = mongoose.mongo.Collection<Doc>;

const raw = <Doc extends mongoose.mongo.Document>(model: Model<Doc>) =>
  model.collection as unknown as RawCollection<Doc>;

/**
 * Hot paths (ingest, history pages) use the driver collections directly: plain objects in and out,
 * with no mongoose document casting or hydration. The models own schemas and indexes.
 */
export interface Collections {
  readonly trackings: RawCollection<TrackingDoc>;
  readonly crashes: RawCollection<CrashDoc>;
  readonly imageRecords: RawCollection<ImageRecordDoc>;
  readonly imageHistories: RawCollection<ImageHistoryDoc>;
  readonly ambulances: RawCollection<AmbulanceDoc>;
  readonly speedingEpisodes: RawCollection<SpeedingEpisodeDoc>;
  readonly places: RawCollection<PlaceDoc>;
  readonly placeVisits: RawCollection<PlaceVisitDoc>;
  readonly ambulanceEvents: RawCollection<AmbulanceEventDoc>;
  readonly alertOutbox: RawCollection<AlertOutboxDoc>;
  readonly alertClaims: RawCollection<AlertClaimDoc>;
}

export interface Models {
  readonly tracking: TrackingModel;
  readonly crash: CrashModel;
  readonly imageRecord: ImageRecordModel;
  readonly imageHistory: ImageHistoryModel;
  readonly ambulance: AmbulanceModel;
  readonly speedingEpisode: SpeedingEpisodeModel;
  readonly place: PlaceModel;
  readonly placeVisit: PlaceVisitModel;
  readonly ambulanceEvent: AmbulanceEventModel;
  readonly alertOutbox: AlertOutboxModel;
  readonly alertClaim: AlertClaimModel;
  readonly collections: Collections;
  /** Positions in the commit-ordered logs of tracking points, crashes and snapshots. */
  readonly positions: StreamPositions;
  /** How writers take positions in those logs (ahead, while this instance is a log's only writer). */
  readonly leases: PositionLeases;
}

/** Positions taken ahead by default (STREAM_RESERVE_POSITIONS, STREAM_RESERVE_HOLD_MS). */
export const DEFAULT_RESERVE: ReserveOptions = { size: 256, holdMs: 100, soleWriterAfterMs: 5000 };

/** The collection a log's items (and tombstones) live in. */
export function logCollection(models: Models, log: LogName): SequencedCollection {
  return logCollectionOf(models.collections, log);
}

function logCollectionOf(collections: Collections, log: LogName): SequencedCollection {
  const collection =
    log === 'trackings' ? collections.trackings : log === 'crashes' ? collections.crashes : collections.imageRecords;
  return collection as unknown as SequencedCollection;
}

/** Registers every model on one connection, so several app instances can live in one process. */
export function createModels(connection: Connection, reserve: ReserveOptions = DEFAULT_RESERVE): Models {
  const tracking = trackingModel(connection);
  const crash = crashModel(connection);
  const imageRecord = imageRecordModel(connection);
  const imageHistory = imageHistoryModel(connection);
  const ambulance = ambulanceModel(connection);
  const speedingEpisode = speedingEpisodeModel(connection);
  const place = placeModel(connection);
  const placeVisit = placeVisitModel(connection);
  const ambulanceEvent = ambulanceEventModel(connection);
  const alertOutbox = alertOutboxModel(connection);
  const alertClaim = alertClaimModel(connection);
  const collections: Collections = {
    trackings: raw(tracking),
    crashes: raw(crash),
    imageRecords: raw(imageRecord),
    imageHistories: raw(imageHistory),
    ambulances: raw(ambulance),
    speedingEpisodes: raw(speedingEpisode),
    places: raw(place),
    placeVisits: raw(placeVisit),
    ambulanceEvents: raw(ambulanceEvent),
    alertOutbox: raw(alertOutbox),
    alertClaims: raw(alertClaim),
  };
  const positions = new StreamPositions(
    connection.collection(STREAM_POSITIONS_COLLECTION) as unknown as ConstructorParameters<typeof StreamPositions>[0],
  );
  return {
    tracking,
    crash,
    imageRecord,
    imageHistory,
    ambulance,
    speedingEpisode,
    positions,
    leases: new PositionLeases(positions, (log) => logCollectionOf(collections, log), reserve),
    place,
    placeVisit,
    ambulanceEvent,
    alertOutbox,
    alertClaim,
    collections,
  };
}
