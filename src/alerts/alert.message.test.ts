import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWebhookTargets, targetWants } from '../domain/alert.routes.js';
import type { AmbulanceEventRecord } from '../domain/ambulance-event.js';
import { alertOfEvent, escalationAlertOf, routeOf } from './alert.message.js';

const event = (overrides: Partial<AmbulanceEventRecord>): AmbulanceEventRecord => ({
  id: 'evt-1',
  ambulanceId: '332',
  kind: 'CRASH_REPORTED',
  at: new Date('2026-12-06T06:00:00Z'),
  place: null,
  status: null,
  previousStatus: null,
  crashId: 'c1',
  note: null,
  by: null,
  ...overrides,
});

describe('alert messages and routes', () => {
  it('an event becomes a body with its id as the key and ISO dates', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(alertOfEvent(event({})))), {
      version: 1,
      id: 'evt-1',
      kind: 'CRASH_REPORTED',
      at: '2026-12-06T06:00:00.000Z',
      ambulanceId: '332',
      place: null,
      status: null,
      previousStatus: null,
      crashId: 'c1',
      note: null,
      by: null,
      crash: null,
    });
  });

  it('an escalation has the key escalation:<crashId> whenever and wherever it is made', () => {
    const crash = { id: 'c9', ambulanceId: '7', reportedAt: '2026-12-06T06:00:00.000Z', latitude: 1, longitude: 2 };
    const first = escalationAlertOf(crash, new Date('2026-12-06T06:02:00Z'), 120);
    const second = escalationAlertOf(crash, new Date('2026-12-06T06:02:03Z'), 120);
    assert.equal(first.id, 'escalation:c9');
    assert.equal(second.id, first.id);
    assert.equal(first.kind, 'CRASH_ESCALATED');
    assert.deepEqual(first.crash, { id: 'c9', reportedAt: '2026-12-06T06:00:00.000Z', latitude: 1, longitude: 2 });
  });

  it('default kinds take hospital arrivals but not other places; explicit kinds take what they name', () => {
    const [byDefault, offlineOnly, anyPlace] = parseWebhookTargets(
      'https://a.example/1;https://a.example/2|WENT_OFFLINE;https://a.example/3|PLACE_ENTERED',
    );
    const at = (kind: 'HOSPITAL' | 'STATION') =>
      routeOf(alertOfEvent(event({ kind: 'PLACE_ENTERED', place: { id: 'p', name: 'P', kind } })));
    assert.ok(byDefault && offlineOnly && anyPlace);
    assert.equal(targetWants(byDefault, at('HOSPITAL')), true);
    assert.equal(targetWants(byDefault, at('STATION')), false);
    assert.equal(targetWants(byDefault, routeOf(alertOfEvent(event({ kind: 'STATUS_CHANGED' })))), false);
    assert.equal(targetWants(byDefault, { kind: 'CRASH_ESCALATED', placeKind: null }), true);
    assert.equal(targetWants(offlineOnly, routeOf(alertOfEvent(event({})))), false);
    assert.equal(targetWants(offlineOnly, { kind: 'WENT_OFFLINE', placeKind: null }), true);
    assert.equal(targetWants(anyPlace, at('STATION')), true);
  });
});
