import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ambulanceEventId } from './ambulance-event.id.js';

describe('ambulance event ids', () => {
  it('are the same for the same cause and differ for another', () => {
    const id = ambulanceEventId('332', 'PLACE_ENTERED', 'h1', '2026-01-01T08:00:00.000Z');
    assert.match(id, /^[0-9a-f]{24}$/);
    assert.equal(id, ambulanceEventId('332', 'PLACE_ENTERED', 'h1', '2026-01-01T08:00:00.000Z'));
    assert.notEqual(id, ambulanceEventId('332', 'PLACE_LEFT', 'h1', '2026-01-01T08:00:00.000Z'));
    assert.notEqual(ambulanceEventId('33', '2A'), ambulanceEventId('332', 'A'));
  });
});
