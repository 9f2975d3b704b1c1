import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema, type PubSub } from 'type-graphql';
import { AmbulanceResolver } from '../resolvers/ambulance.resolver.js';
import { CrashResolver } from '../resolvers/crash.resolver.js';
import { SnapshotResolver } from '../resolvers/snapshot.resolver.js';
import { SnapshotImageResolver } from '../resolvers/snapshot-image.resolver.js';
import { SpeedingEpisodeResolver } from '../resolvers/speeding-episode.resolver.js';
import { TrackingResolver } from '../resolvers/tracking.resolver.js';
import { roleAuthChecker } from './role.auth-checker.js';

export function buildAppSchema(pubSub: PubSub): Promise<GraphQLSchema> {
  return buildSchema({
    pubSub,
    resolvers: [
      AmbulanceResolver,
      TrackingResolver,
      CrashResolver,
      SnapshotResolver,
      SnapshotImageResolver,
      SpeedingEpisodeResolver,
    ],
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validate: false,
    // Every root field carries @Authorized(roles); schema.auth.test.ts fails when one does not.
    authChecker: roleAuthChecker,
  });
}
