import { createHash } from 'node:crypto';
import { Types } from 'mongoose';

/**
 * The `_id` of a point a device stamped with its own time: the same for the same ambulance and device time,
 * so the database's unique `_id` index stores a repeated point once, across instances and restarts, on
 * MongoDB and FerretDB alike (FerretDB v1 has no partial indexes, which a separate unique key would need).
 * Like any ObjectId it starts with a time in seconds (the device's); the other 8 bytes are a SHA-256 of the
 * ambulance id and the device time in milliseconds.
 */
export function devicePointId(ambulanceId: string, deviceTime: Date): Types.ObjectId {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(Math.floor(deviceTime.getTime() / 1000) >>> 0, 0);
  createHash('sha256').update(`${ambulanceId}\n${deviceTime.getTime()}`).digest().copy(bytes, 4, 0, 8);
  return new Types.ObjectId(bytes);
}
