import { invalidField } from '../domain/refusal.error.js';

/** Where a device may put the time it took a reading, in order of preference. */
export const DEVICE_TIME_FIELDS = ['tracking_timestamp', 'timestamp'] as const;

export interface DeviceTimeBounds {
  /** How far in the past a reading may be (a device replaying what it buffered while offline). */
  readonly maxAgeMs: number;
  /** How far ahead of the server's clock a device's clock may run. */
  readonly maxAheadMs: number;
}

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const EPOCH = /^\d{1,16}(\.\d{1,6})?$/;
/** Below this an epoch number is in seconds (1e11 s is the year 5138), from it in milliseconds. */
const MILLISECONDS_FROM = 1e11;
const FORMATS = 'an ISO-8601 time with a zone (2024-05-01T10:15:30Z) or epoch seconds or milliseconds';

function parseIso(field: string, text: string): number {
  const match = ISO_8601.exec(text);
  if (!match) throw invalidField(field, `must be ${FORMATS}, got "${text.slice(0, 40)}"`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.parse(text);
  const calendarDay = new Date(Date.UTC(year, month - 1, day));
  if (!Number.isFinite(time) || calendarDay.getUTCMonth() !== month - 1 || calendarDay.getUTCDate() !== day) {
    throw invalidField(field, `is not a real date and time: "${text.slice(0, 40)}"`);
  }
  return time;
}

function parseEpoch(value: number): number {
  return Math.round(value < MILLISECONDS_FROM ? value * 1000 : value);
}

/** Why a readable device time was set aside: the device clock is ahead of the server's, or too far behind. */
export type IgnoredDeviceTimeReason = 'ahead' | 'too_old';

/** What a report's device time field says. */
export type DeviceTimeReading =
  | { readonly time: Date | null; readonly ignored?: undefined }
  /** Readable but outside the bounds: the point is kept without it. */
  | {
      readonly time: null;
      readonly ignored: { readonly field: string; readonly reason: IgnoredDeviceTimeReason; readonly detail: string };
    };

/**
 * The time the device says it took the reading, when it sent one (`tracking_timestamp`, else `timestamp`).
 * Refused with INVALID_FIELD when unreadable (a wrong format fails every request, so integration finds it).
 * A readable time outside the bounds around `now` (a device clock gone wrong, which happens in the field) is
 * set aside, not refused: the position is worth more than the optional time beside it.
 */
export function readDeviceTime(
  fields: Record<string, unknown>,
  now: Date,
  bounds: DeviceTimeBounds,
): DeviceTimeReading {
  const field = DEVICE_TIME_FIELDS.find((name) => ![undefined, null, ''].includes(fields[name] as never));
  if (!field) return { time: null };
  const raw = fields[field];
  let time: number;
  if (typeof raw === 'number' && Number.isFinite(raw) && raw >= 0) time = parseEpoch(raw);
  else if (typeof raw === 'string' && EPOCH.test(raw.trim())) time = parseEpoch(Number(raw.trim()));
  else if (typeof raw === 'string') time = parseIso(field, raw.trim());
  else throw invalidField(field, `must be ${FORMATS}`);
  if (time > now.getTime() + bounds.maxAheadMs) {
    const detail = `${field} is ${Math.round((time - now.getTime()) / 1000)} s ahead of the server's clock`;
    return { time: null, ignored: { field, reason: 'ahead', detail } };
  }
  if (time < now.getTime() - bounds.maxAgeMs) {
    const detail = `${field} is older than ${Math.round(bounds.maxAgeMs / 3_600_000)} hours`;
    return { time: null, ignored: { field, reason: 'too_old', detail } };
  }
  return { time: new Date(time) };
}
