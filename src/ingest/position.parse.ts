import { AMBULANCE_ID_RULE, isValidAmbulanceId } from '../domain/ambulance-id.js';
import type { PositionReport } from '../domain/position-report.js';
import { invalidField } from '../domain/refusal.error.js';

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function readNumber(body: Record<string, unknown>, field: string, min: number, max: number): number {
  const raw = body[field];
  if (raw === undefined || raw === null || raw === '') throw invalidField(field, 'is required');
  let value: number;
  if (typeof raw === 'number') value = raw;
  else if (typeof raw === 'string' && raw.length <= 40 && DECIMAL.test(raw.trim())) value = Number(raw.trim());
  else throw invalidField(field, `must be a number (a JSON number or a decimal string), got ${describe(raw)}`);
  if (!Number.isFinite(value)) throw invalidField(field, 'must be a finite number');
  if (value < min || value > max) throw invalidField(field, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list (send the field once)';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `"${value.slice(0, 20)}${value.length > 20 ? '…' : ''}"`;
  return typeof value;
}

export function readAmbulanceId(body: Record<string, unknown>, field = 'ambulance_id'): string {
  const raw = body[field];
  if (raw === undefined || raw === null || raw === '') throw invalidField(field, 'is required');
  const value = typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0 ? String(raw) : raw;
  if (typeof value !== 'string') throw invalidField(field, `must be a string such as "332", got ${describe(raw)}`);
  if (!isValidAmbulanceId(value)) throw invalidField(field, `must be ${AMBULANCE_ID_RULE}`);
  return value;
}

export const MAX_SPEED = 1000;

/** Validates the legacy tracking/crash fields; speed is returned in the unit the device sent. */
export function parsePositionReport(body: Record<string, unknown>): PositionReport {
  return {
    ambulanceId: readAmbulanceId(body),
    latitude: readNumber(body, 'tracking_latitude', -90, 90),
    longitude: readNumber(body, 'tracking_longitude', -180, 180),
    speed: readNumber(body, 'tracking_speed', 0, MAX_SPEED),
    heading: readNumber(body, 'tracking_heading', 0, 360),
  };
}
