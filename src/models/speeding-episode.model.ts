import { type Connection, type Model, Schema, type Types } from 'mongoose';

/**
 * One run of consecutive ORANGE/RED points of an ambulance: what the legacy `speed_above_80` /
 * `speed_above_120` links on a tracking point refer to.
 */
export interface SpeedingEpisodeDoc {
  _id: Types.ObjectId;
  ambulance_id: string | Types.ObjectId;
  started_at: Date;
  ended_at: Date;
  max_speed: number;
  max_state: string;
  point_count: number;
}

const speedingEpisodeSchema = new Schema<SpeedingEpisodeDoc>(
  {
    ambulance_id: { type: Schema.Types.Mixed, required: true },
    started_at: { type: Date, required: true },
    ended_at: { type: Date, required: true },
    max_speed: Number,
    max_state: String,
    point_count: Number,
  },
  { collection: 'speeding_episodes', versionKey: false, strict: false },
);
speedingEpisodeSchema.index({ ambulance_id: 1, started_at: 1, _id: 1 });
speedingEpisodeSchema.index({ started_at: 1, _id: 1 });

export type SpeedingEpisodeModel = Model<SpeedingEpisodeDoc>;
export const speedingEpisodeModel = (connection: Connection): SpeedingEpisodeModel =>
  connection.model<SpeedingEpisodeDoc>('SpeedingEpisode', speedingEpisodeSchema);
