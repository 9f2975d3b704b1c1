import { Field, ID, ObjectType } from 'type-graphql';
import type { SnapshotEvent } from '../events/event.payloads.js';
import type { ImageRecordDoc } from '../models/image.model.js';
import { type SnapshotRecord, snapshotRecordOf } from '../models/stored-record.read.js';
import { Connection } from './connection.type.js';
import { CURSOR_DESCRIPTION, itemCursor, resumePosition } from './item.cursor.js';

@ObjectType()
export class SnapshotImage {
  @Field(() => String, { description: 'image0, image1, ... as in the legacy record.' })
  name!: string;

  /** The unsigned path; SnapshotImageResolver answers the `url` field with a signed one. */
  @Field(() => String, {
    description:
      'Path of the image on this server (under /uploads). When the server signs image URLs it ends in ' +
      '?expires=<unix seconds>&signature=<...>: use it as given, before it expires (UPLOAD_URL_TTL_SECONDS).',
  })
  url!: string;
}

@ObjectType({ description: 'A set of camera images uploaded together by an ambulance.' })
export class Snapshot {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: CURSOR_DESCRIPTION })
  cursor!: string;

  @Field(() => ID)
  ambulanceId!: string;

  @Field(() => [SnapshotImage])
  images!: SnapshotImage[];

  @Field(() => Date)
  createdAt!: Date;

  /** A stored snapshot (history). */
  static fromDocument(doc: ImageRecordDoc): Snapshot {
    const record = snapshotRecordOf(doc);
    return Snapshot.fromRecord({ ...record, seq: resumePosition(record.seq, doc.settled_seq) });
  }

  /** A snapshot announced live, or just stored: rebuilt from its event payload. */
  static fromEvent(event: SnapshotEvent): Snapshot {
    return Snapshot.fromRecord({ ...event, createdAt: new Date(event.createdAt), seq: event.seq ?? null });
  }

  private static fromRecord(record: SnapshotRecord): Snapshot {
    return Object.assign(new Snapshot(), {
      id: record.id,
      ambulanceId: record.ambulanceId,
      images: record.images.map((image) => Object.assign(new SnapshotImage(), image)),
      createdAt: record.createdAt,
      cursor: itemCursor(record.createdAt, record.id, record.seq),
    });
  }
}

@ObjectType()
export class SnapshotConnection extends Connection(Snapshot, 'Snapshot') {}
