import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Types } from 'mongoose';
import { blankEvent, docOfEvent, eventOfDoc, payloadOfEvent } from './ambulance-event.recorder.js';

describe('ambulance event documents', () => {
  it('store an event under its cause-derived id and read it back unchanged', () => {
    const event = blankEvent({
      id: new Types.ObjectId().toHexString(),
      ambulanceId: '332',
      kind: 'PLACE_ENTERED',
      at: new Date('2026-01-01T08:00:00Z'),
      place: { id: 'p1', name: 'City Hospital', kind: 'HOSPITAL' },
    });
    const doc = docOfEvent(event);
    assert.equal(doc._id.toHexString(), event.id);
    assert.deepEqual(eventOfDoc(doc), event);
    assert.equal(payloadOfEvent(event).at, '2026-01-01T08:00:00.000Z');
    assert.equal(eventOfDoc({ ...doc, place: null }).place, null);
  });
});
