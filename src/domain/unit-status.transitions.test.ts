import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PLACE_KINDS, UNIT_STATUSES } from './ambulance-event.js';
import { inferredBy, transitionOnEntering } from './unit-status.transitions.js';

describe('unit status transitions', () => {
  it('takes a transporting unit entering a hospital to AT_HOSPITAL', () => {
    const transition = transitionOnEntering('TRANSPORTING', 'HOSPITAL');
    assert.equal(transition?.to, 'AT_HOSPITAL');
    assert.equal(transition && inferredBy(transition), 'system:hospital-arrival');
  });

  it('takes a unit at hospital entering a station or base to AVAILABLE', () => {
    assert.equal(transitionOnEntering('AT_HOSPITAL', 'STATION')?.to, 'AVAILABLE');
    assert.equal(transitionOnEntering('AT_HOSPITAL', 'BASE')?.to, 'AVAILABLE');
  });

  it('infers nothing else: every other status and place kind keeps the status (hand-set ones included)', () => {
    const triggers = new Set(['TRANSPORTING/HOSPITAL', 'AT_HOSPITAL/STATION', 'AT_HOSPITAL/BASE']);
    for (const status of UNIT_STATUSES) {
      for (const kind of PLACE_KINDS) {
        if (triggers.has(`${status}/${kind}`)) continue;
        assert.equal(transitionOnEntering(status, kind), null, `${status} entering ${kind}`);
      }
    }
  });
});
