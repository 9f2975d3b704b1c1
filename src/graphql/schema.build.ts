import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema, type PubSub } from 'type-graphql';
import { AmbulanceResolver } from '../resolvers/ambulance.resolver.js';
import { AmbulanceEventResolver } from '../resolvers/ambulance-event.resolver.js';
import { CrashResolver } from '../resolvers/crash.resolver.js';
import { CrashAcknowledgementResolver } from '../resolvers/crash-acknowledgement.resolver.js';
import { NearestResolver } from '../resolvers/nearest.resolver.js';
import { PlaceResolver } from '../resolvers/place.resolver.js';
import { SnapshotResolver } from '../resolvers/snapshot.resolver.js';
import { SnapshotImageResolver } from '../resolvers/snapshot-image.resolver.js';
import { SpeedingEpisodeResolver } from '../resolvers/speeding-episode.resolver.js';
import { StreamCursorResolver } from '../resolvers/stream-cursor.resolver.js';
import { TrackingResolver } from '../resolvers/tracking.resolver.js';
import { UnitStatusResolver } from '../resolvers/unit-status.resolver.js';
import { roleAuthChecker } from './role.auth-checker.js';

/**
 * type-graphql refuses to build subscriptions without a PubSub, though it only uses one for `topics`-style
 * subscriptions. Every subscription here has its own `subscribe` (subscribeToTopic, so the Redis subscription
 * is confirmed before the operation starts) and publishing goes through EventPublisher after the data is
 * stored, so this one refuses both.
 */
const NO_PUBSUB: PubSub = {
  publish(routingKey: string) {
    throw new Error(`publish "${routingKey}" through EventPublisher, after the data is stored`);
  },
  subscribe(routingKey: string) {
    throw new Error(`subscribe to "${routingKey}" with a subscribe function (subscribeToTopic), not topics`);
  },
};

export function buildAppSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    pubSub: NO_PUBSUB,
    resolvers: [
      AmbulanceResolver,
      TrackingResolver,
      CrashResolver,
      SnapshotResolver,
      SnapshotImageResolver,
      SpeedingEpisodeResolver,
      StreamCursorResolver,
      PlaceResolver,
      AmbulanceEventResolver,
      UnitStatusResolver,
      NearestResolver,
      CrashAcknowledgementResolver,
    ],
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validate: false,
    // Every root field carries @Authorized(roles); schema.auth.test.ts fails when one does not.
    authChecker: roleAuthChecker,
  });
}
