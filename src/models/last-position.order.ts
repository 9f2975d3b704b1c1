import type { AmbulanceDoc, LastPositionDoc } from './ambulance.model.js';
import type { RawCollection } from './models.js';

/**
 * A position laid out for `$max`, newest point first: `$max` compares embedded documents field by field
 * (type, then name, then value), so the stored position is replaced only by one with a later
 * `count_datetime` or, at the same time, a greater tracking id. MongoDB and FerretDB compare them alike
 * as long as both documents have every field, which this layout guarantees.
 */
export function comparableLastPosition(position: LastPositionDoc): LastPositionDoc {
  return {
    count_datetime: position.count_datetime,
    tracking_id: position.tracking_id,
    location: position.location,
    speed: position.speed,
    heading: position.heading,
    state: position.state,
    speeding_episode_id: position.speeding_episode_id ?? null,
    // Last and only when true: it decides nothing unless every field before it is equal (the same point).
    ...(position.conflict ? { conflict: true } : {}),
  };
}

/**
 * Rewrites positions stored by earlier versions in the comparable layout: they began with `tracking_id`,
 * an ObjectId, which `$max` ranks below any document that begins with a date, whatever the times. Also
 * drops `current_speeding_episode_id`, which those versions kept beside `last_position`. Runs at start-up;
 * returns how many fleet documents it rewrote. A document changed meanwhile is left to its new writer.
 */
export async function migrateLastPositionLayout(ambulances: RawCollection<AmbulanceDoc>): Promise<number> {
  const stored = await ambulances
    .find(
      { $or: [{ last_position: { $exists: true } }, { current_speeding_episode_id: { $exists: true } }] },
      { projection: { last_position: 1, current_speeding_episode_id: 1 } },
    )
    .toArray();
  let rewritten = 0;
  for (const doc of stored) {
    const position = doc.last_position;
    const reordered =
      position && Object.keys(position)[0] !== 'count_datetime' ? comparableLastPosition(position) : null;
    if (!reordered && !('current_speeding_episode_id' in doc)) continue;
    const { modifiedCount } = await ambulances.updateOne(
      position ? { _id: doc._id, 'last_position.tracking_id': position.tracking_id } : { _id: doc._id },
      { ...(reordered ? { $set: { last_position: reordered } } : {}), $unset: { current_speeding_episode_id: '' } },
    );
    rewritten += modifiedCount;
  }
  return rewritten;
}
