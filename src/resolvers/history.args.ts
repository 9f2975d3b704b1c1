import { type FileUpload, GraphQLUpload } from 'graphql-upload-minimal';
import { ArgsType, Field, ID } from 'type-graphql';
import { BackwardPageArgs, PageArgs, TimeRangeArgs } from './pagination.args.js';

@ArgsType()
abstract class AmbulanceIdArg {
  @Field(() => ID)
  ambulanceId!: string;
}

@ArgsType()
abstract class OptionalAmbulanceIdArg {
  @Field(() => ID, { nullable: true, description: 'Omit for the whole fleet.' })
  ambulanceId?: string;
}

@ArgsType()
export class TrackingHistoryArgs extends PageArgs(TimeRangeArgs(AmbulanceIdArg)) {}

@ArgsType()
export class CrashesArgs extends PageArgs(TimeRangeArgs(OptionalAmbulanceIdArg)) {}

@ArgsType()
export class SpeedingEpisodesArgs extends PageArgs(TimeRangeArgs(OptionalAmbulanceIdArg)) {}

@ArgsType()
export class SnapshotsArgs extends BackwardPageArgs(PageArgs(AmbulanceIdArg)) {}

@ArgsType()
export class UploadSnapshotArgs {
  @Field(() => ID)
  ambulanceId!: string;

  @Field(() => [GraphQLUpload], { description: 'JPEG, PNG, GIF or WebP images, checked by content.' })
  files!: Array<Promise<FileUpload>>;
}
