import { type Connection, type Model, Schema, type Types } from 'mongoose';

/** `images` maps `image0`, `image1`, ... to stored file paths, as the legacy server wrote them. */
export interface ImageRecordDoc {
  _id: Types.ObjectId;
  ambulance_id: string | Types.ObjectId;
  images: Record<string, string>;
  createdAt: Date;
  ambulance_image_histories_id?: Types.ObjectId;
  /** Position in the snapshot log (src/models/stream.positions.ts); absent on records stored before it existed. */
  seq?: number;
  /** The log's watermark when `seq` was handed out: a history cursor of this item resumes from there. */
  settled_seq?: number;
}

export type ImageHistoryDoc = Omit<ImageRecordDoc, 'ambulance_image_histories_id' | 'seq' | 'settled_seq'>;

const imageFields = {
  ambulance_id: { type: Schema.Types.Mixed, required: true },
  images: { type: Schema.Types.Mixed, required: true },
  createdAt: { type: Date, required: true },
};

const imageRecordSchema = new Schema<ImageRecordDoc>(
  { ...imageFields, ambulance_image_histories_id: Schema.Types.ObjectId, seq: Number, settled_seq: Number },
  { collection: 'ambulance_images', versionKey: false, strict: false },
);
imageRecordSchema.index({ seq: 1 }, { unique: true, sparse: true });
imageRecordSchema.index({ ambulance_id: 1, createdAt: 1, _id: 1 });

const imageHistorySchema = new Schema<ImageHistoryDoc>(imageFields, {
  collection: 'ambulance_image_histories',
  versionKey: false,
  strict: false,
});
imageHistorySchema.index({ ambulance_id: 1, createdAt: 1, _id: 1 });

export type ImageRecordModel = Model<ImageRecordDoc>;
export type ImageHistoryModel = Model<ImageHistoryDoc>;
export const imageRecordModel = (connection: Connection): ImageRecordModel =>
  connection.model<ImageRecordDoc>('ImageRecord', imageRecordSchema);
export const imageHistoryModel = (connection: Connection): ImageHistoryModel =>
  connection.model<ImageHistoryDoc>('ImageHistory', imageHistorySchema);
