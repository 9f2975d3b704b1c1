import { Types } from 'mongoose';
import { sniffImage } from '../domain/image.sniff.js';
import { RefusalError } from '../domain/refusal.error.js';
import { RefusalCode } from '../errors/error.codes.js';
import { snapshotEventOf } from '../events/event.mappers.js';
import type { SnapshotEvent } from '../events/event.payloads.js';
import type { EventPublisher } from '../events/event.publisher.js';
import { Topics } from '../events/topics.js';
import type { ImageRecordDoc } from '../models/image.model.js';
import type { Models } from '../models/models.js';
import type { WriteLane } from '../models/write.lane.js';
import type { ImageStorage } from '../uploads/image.storage.js';
import type { SpooledImage } from '../uploads/upload.spool.js';
import { insertSequenced } from './sequenced.insert.js';

/** An image read into memory (GraphQL uploads) or already checked and written to a temporary file (REST). */
export type UploadedImage = { readonly field: string; readonly data: Uint8Array } | SpooledImage;

export const noFilesError = () =>
  new RefusalError(400, RefusalCode.NoFiles, 'attach at least one image file (JPEG, PNG, GIF or WebP)', 'files');

/** Stores camera images (files first, then the legacy records) for REST and GraphQL uploads alike. */
export class SnapshotService {
  constructor(
    private readonly models: Models,
    private readonly storage: ImageStorage,
    private readonly publisher: EventPublisher,
    private readonly lane: WriteLane,
    private readonly maxFiles: number,
  ) {}

  async store(ambulanceId: string, files: readonly UploadedImage[]): Promise<SnapshotEvent> {
    if (files.length === 0) {
      throw noFilesError();
    }
    if (files.length > this.maxFiles) {
      throw new RefusalError(413, RefusalCode.TooManyFiles, `at most ${this.maxFiles} files per upload`, 'files');
    }
    const typed = files.map((file) => {
      if ('path' in file) return file;
      const kind = sniffImage(file.data);
      if (!kind) {
        throw new RefusalError(
          415,
          RefusalCode.NotAnImage,
          `file in field "${file.field}" is not a JPEG, PNG, GIF or WebP image`,
          file.field,
        );
      }
      return { ...file, kind };
    });
    const createdAt = new Date();
    const stored: string[] = [];
    const historyId = new Types.ObjectId();
    try {
      for (const file of typed) {
        stored.push(
          'path' in file
            ? await this.storage.moveIn(ambulanceId, file.path, file.kind, createdAt)
            : await this.storage.save(ambulanceId, file.data, file.kind, createdAt),
        );
      }
      const images = Object.fromEntries(stored.map((storedPath, index) => [`image${index}`, storedPath]));
      const record: ImageRecordDoc = {
        _id: new Types.ObjectId(),
        ambulance_id: ambulanceId,
        images,
        createdAt,
        ambulance_image_histories_id: historyId,
      };
      await this.lane.run(async () => {
        // The fleet document first, the image record last: a failure leaves no record pointing at removed files.
        await this.models.collections.ambulances.updateOne(
          { _id: ambulanceId },
          { $set: { last_snapshot_at: createdAt }, $setOnInsert: { createdAt } },
          { upsert: true },
        );
        await this.models.collections.imageHistories.insertOne({
          _id: historyId,
          ambulance_id: ambulanceId,
          images,
          createdAt,
        });
        await insertSequenced(this.models, 'snapshots', [record]);
      });
      const event = snapshotEventOf(record);
      this.publisher.publish(Topics.SnapshotUploaded, ambulanceId, event);
      return event;
    } catch (error) {
      // Nothing half-stored stays behind: files, and the history record if it was written (best effort).
      await Promise.all(stored.map((storedPath) => this.storage.remove(storedPath)));
      await this.models.collections.imageHistories.deleteOne({ _id: historyId }).catch(() => {});
      throw error;
    }
  }
}
