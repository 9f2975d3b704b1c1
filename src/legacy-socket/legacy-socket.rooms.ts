import { isValidAmbulanceId } from '../domain/ambulance-id.js';
import type { Topic } from '../events/topics.js';
import { type LegacySocketError, LegacySocketErrorCode } from './legacy-socket.errors.js';

/** The rooms the legacy server emitted to that show the whole fleet. */
export const FleetRoom = { Tracking: 'tracking', Crash: 'crash', Snapshots: 'snap' } as const;
const CRASH_NOTIFY_PREFIX = 'CRASH_NOTIFY_';

/** What a room carries: `kind` is also the metrics label. */
export type LegacyRoom =
  | { readonly kind: 'tracking' | 'crash' | 'snap'; readonly topic: Topic; readonly ambulanceId: null }
  | { readonly kind: 'ambulance' | 'crash_notify'; readonly topic: Topic; readonly ambulanceId: string };

export const ROOM_KINDS = ['ambulance', 'tracking', 'crash', 'crash_notify', 'snap'] as const;

/** The legacy server stripped double quotes from the name a dashboard sent (`"332"` joins `332`). */
export function roomNameOf(raw: unknown): string | null {
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  const name = String(raw).replaceAll('"', '');
  return name.length > 0 && name.length <= 128 ? name : null;
}

/** The room behind a name, or null for a name no event is ever sent to. */
export function classifyRoom(name: string): LegacyRoom | null {
  if (name === FleetRoom.Tracking) return { kind: 'tracking', topic: 'TRACKING_UPDATED', ambulanceId: null };
  if (name === FleetRoom.Crash) return { kind: 'crash', topic: 'CRASH_REPORTED', ambulanceId: null };
  if (name === FleetRoom.Snapshots) return { kind: 'snap', topic: 'SNAPSHOT_UPLOADED', ambulanceId: null };
  if (name.startsWith(CRASH_NOTIFY_PREFIX)) {
    const ambulanceId = name.slice(CRASH_NOTIFY_PREFIX.length);
    return isValidAmbulanceId(ambulanceId) ? { kind: 'crash_notify', topic: 'CRASH_REPORTED', ambulanceId } : null;
  }
  return isValidAmbulanceId(name) ? { kind: 'ambulance', topic: 'TRACKING_UPDATED', ambulanceId: name } : null;
}

/**
 * Rooms a tracking point goes to, in the legacy order. An ambulance id that names another kind of room
 * (`crash`, `snap`, `tracking`, `CRASH_NOTIFY_332`: ids a keyless post may claim) gets no room of its own, or its
 * points would reach crash dashboards, or another ambulance's crash room, as if they were crashes.
 */
export function trackingRooms(ambulanceId: string): readonly string[] {
  const own = classifyRoom(ambulanceId);
  return own?.kind === 'ambulance' ? [ambulanceId, FleetRoom.Tracking] : [FleetRoom.Tracking];
}
/** Rooms a crash notification goes to, in the legacy order. */
export const crashRooms = (ambulanceId: string): readonly string[] => [
  FleetRoom.Crash,
  `${CRASH_NOTIFY_PREFIX}${ambulanceId}`,
];
export const snapshotRooms = (): readonly string[] => [FleetRoom.Snapshots];

/**
 * Whether a caller whose token allows `ambulances` (null: every ambulance) may join `name`: the room is parsed,
 * and a scoped caller may join only its own ambulances' rooms, never a fleet room (it would show the others).
 */
export function checkRoomAccess(
  name: string,
  ambulances: ReadonlySet<string> | null,
): { readonly room: LegacyRoom } | { readonly error: LegacySocketError } {
  const room = classifyRoom(name);
  if (!room) {
    return {
      error: {
        code: LegacySocketErrorCode.InvalidRoom,
        message: `room "${name}" receives no events: join tracking, crash, snap, an ambulance id such as "332", or CRASH_NOTIFY_<ambulance id>`,
        room: name,
      },
    };
  }
  if (ambulances === null) return { room };
  if (room.ambulanceId === null) {
    return {
      error: {
        code: LegacySocketErrorCode.Forbidden,
        message: `room "${name}" shows every ambulance, but your token allows only some; join your ambulances' rooms (such as "${[...ambulances][0] ?? '332'}") instead`,
        room: name,
      },
    };
  }
  if (!ambulances.has(room.ambulanceId)) {
    return {
      error: {
        code: LegacySocketErrorCode.Forbidden,
        message: `room "${name}" is for ambulance "${room.ambulanceId}", which is outside the ambulances your token allows`,
        room: name,
      },
    };
  }
  return { room };
}
