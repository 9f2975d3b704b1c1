import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkRoomAccess, classifyRoom, crashRooms, roomNameOf, trackingRooms } from './legacy-socket.rooms.js';

describe('legacy rooms', () => {
  it('strips double quotes from room names, as the legacy server did, and refuses non-names', () => {
    assert.equal(roomNameOf('"332"'), '332');
    assert.equal(roomNameOf('tracking'), 'tracking');
    assert.equal(roomNameOf(332), '332');
    for (const bad of ['', '""', null, undefined, {}, ['332'], 'x'.repeat(129)]) assert.equal(roomNameOf(bad), null);
  });

  it('never sends a tracking point to a crash, snapshot or other ambulance room named by its ambulance id', () => {
    for (const id of ['crash', 'snap', 'CRASH_NOTIFY_332']) assert.deepEqual(trackingRooms(id), ['tracking']);
    assert.deepEqual(trackingRooms('tracking'), ['tracking'], 'once, not twice');
  });

  it('knows which rooms carry which events, in the legacy emit order', () => {
    assert.deepEqual(trackingRooms('332'), ['332', 'tracking']);
    assert.deepEqual(crashRooms('332'), ['crash', 'CRASH_NOTIFY_332']);
    assert.deepEqual(classifyRoom('snap'), { kind: 'snap', topic: 'SNAPSHOT_UPLOADED', ambulanceId: null });
    assert.deepEqual(classifyRoom('CRASH_NOTIFY_7'), {
      kind: 'crash_notify',
      topic: 'CRASH_REPORTED',
      ambulanceId: '7',
    });
    assert.deepEqual(classifyRoom('7'), { kind: 'ambulance', topic: 'TRACKING_UPDATED', ambulanceId: '7' });
    for (const none of ['a/b', 'CRASH_NOTIFY_', 'CRASH_NOTIFY_../x', 'x y'])
      assert.equal(classifyRoom(none), null, none);
  });

  it('lets a token scoped to some ambulances join only their rooms, never a fleet room', () => {
    const scope = new Set(['7']);
    assert.ok('room' in checkRoomAccess('7', scope));
    assert.ok('room' in checkRoomAccess('CRASH_NOTIFY_7', scope));
    for (const name of ['8', 'CRASH_NOTIFY_8', 'tracking', 'crash', 'snap']) {
      const result = checkRoomAccess(name, scope);
      assert.ok('error' in result && result.error.code === 'FORBIDDEN' && result.error.room === name, name);
    }
    for (const name of ['8', 'tracking', 'crash', 'snap', 'CRASH_NOTIFY_8'])
      assert.ok('room' in checkRoomAccess(name, null));
    const invalid = checkRoomAccess('no room', null);
    assert.ok('error' in invalid && invalid.error.code === 'INVALID_ROOM');
  });
});
