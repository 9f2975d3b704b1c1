import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { assertAmbulanceInScope } from '../auth/ambulance.scope.js';
import { READERS, UPLOADERS } from '../auth/root-field.roles.js';
import { RefusalError } from '../domain/refusal.error.js';
import { RefusalCode } from '../errors/error.codes.js';
import { uploadRejectedError } from '../errors/graphql.errors.js';
import type { SnapshotEvent } from '../events/event.payloads.js';
import { Topics } from '../events/topics.js';
import type { ImageRecordDoc } from '../models/image.model.js';
import { capacityExceeded } from '../uploads/upload.spool.js';
import { Ambulance } from './ambulance.type.js';
import type { GraphQLContext } from './graphql.context.js';
import { loadAmbulance } from './graphql.loaders.js';
import { SnapshotsArgs, UploadSnapshotArgs } from './history.args.js';
import { readPage, scopedRangeFilter, validAmbulanceId } from './page.query.js';
import { Snapshot, SnapshotConnection } from './snapshot.type.js';
import { AFTER_DESCRIPTION, STREAM_GUARANTEE, subscribeByAmbulance } from './topic.subscribe.js';
import { readUpload } from './upload.read.js';

@Resolver(() => Snapshot)
export class SnapshotResolver {
  @Authorized(...READERS)
  @Query(() => SnapshotConnection, {
    description: 'Uploaded camera images of one ambulance, oldest first; `last: N` reads the newest N.',
  })
  async snapshots(@Args(() => SnapshotsArgs) args: SnapshotsArgs, @Ctx() context: GraphQLContext) {
    const { models, pageSize } = context.services;
    return readPage<ImageRecordDoc, Snapshot>({
      collection: models.collections.imageRecords,
      timeField: 'createdAt',
      filter: scopedRangeFilter(context.principal, 'createdAt', { ambulanceId: args.ambulanceId }),
      args,
      pageSize,
      timeOf: (doc) => doc.createdAt,
      toNode: (doc) => Snapshot.fromDocument(doc),
    });
  }

  @Authorized(...UPLOADERS)
  @Mutation(() => Snapshot, {
    description:
      'Stores camera images as the legacy REST upload does. Send as a GraphQL multipart request ' +
      '(with the Apollo-Require-Preflight header, as CSRF prevention requires).',
  })
  async uploadSnapshot(
    @Args(() => UploadSnapshotArgs) { ambulanceId, files }: UploadSnapshotArgs,
    @Ctx() context: GraphQLContext,
  ): Promise<Snapshot> {
    assertAmbulanceInScope(context.principal, validAmbulanceId(ambulanceId), 'ambulanceId');
    if (new Set(files).size !== files.length) {
      throw uploadRejectedError('each file may be mapped to one entry of files only', RefusalCode.FileMappedTwice);
    }
    const reservation = context.services.uploadBudget.reserve(0);
    try {
      if (!reservation) throw capacityExceeded();
      const images = [];
      let read = 0;
      for (const [index, file] of files.entries()) {
        const image = await readUpload(file, index, reservation, read);
        read += image.data.length;
        images.push(image);
      }
      return Snapshot.fromEvent(await context.services.snapshotService.store(ambulanceId, images));
    } catch (error) {
      if (error instanceof RefusalError) {
        throw uploadRejectedError(error.message, error.code);
      }
      throw error;
    } finally {
      reservation?.release();
    }
  }

  @Authorized(...READERS)
  @Subscription(() => Snapshot, {
    description: `Every stored snapshot of one ambulance, or of the whole fleet without ambulanceId.${STREAM_GUARANTEE}`,
    subscribe: subscribeByAmbulance(Topics.SnapshotUploaded),
  })
  snapshotUploaded(
    @Root() event: SnapshotEvent,
    @Ctx() context: GraphQLContext,
    // type-graphql lists arguments in the reverse order of these parameters.
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) _after?: string,
    @Arg('ambulanceId', () => ID, { nullable: true }) _ambulanceId?: string,
  ): Snapshot {
    context.loaders.clearAll();
    return Snapshot.fromEvent(event);
  }

  // Devices may upload but read nothing: not the ambulance (and its position) behind an uploaded snapshot either.
  @Authorized(...READERS)
  @FieldResolver(() => Ambulance)
  async ambulance(@Root() snapshot: Snapshot, @Ctx() context: GraphQLContext): Promise<Ambulance> {
    return loadAmbulance(context.loaders, snapshot.ambulanceId);
  }
}
