import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import type { Reading } from '../domain/repeated-report.rules.js';

/** An ObjectId starting with the device time in seconds, like any ObjectId; the other 8 bytes hash `identity`. */
function deviceTimeId(deviceTime: Date, identity: string): Types.ObjectId {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(Math.floor(deviceTime.getTime() / 1000) >>> 0, 0);
  createHash('sha256').update(identity).digest().copy(bytes, 4, 0, 8);
  return new Types.ObjectId(bytes);
}

/**
 * The `_id` of a point a device stamped with its own time: the same for the same ambulance and device time,
 * so the database's unique `_id` index stores a repeated point once, across instances and restarts, on
 * MongoDB and FerretDB alike (FerretDB v1 has no partial indexes, which a separate unique key would need).
 * The other 8 bytes are a SHA-256 of the ambulance id and the device time in milliseconds.
 */
export function devicePointId(ambulanceId: string, deviceTime: Date): Types.ObjectId {
  return deviceTimeId(deviceTime, `${ambulanceId}\n${deviceTime.getTime()}`);
}

/**
 * The `_id` of a report that claims the same ambulance and device time as a stored point but measured
 * something else (a conflict): it also hashes the reading, so that report too is stored once however often
 * it is sent, while a different one gets an id of its own.
 */
export function conflictingPointId(ambulanceId: string, deviceTime: Date, reading: Reading): Types.ObjectId {
  const { latitude, longitude, speed, heading } = reading;
  return deviceTimeId(
    deviceTime,
    `${ambulanceId}\n${deviceTime.getTime()}\n${latitude}\n${longitude}\n${speed}\n${heading}`,
  );
}
