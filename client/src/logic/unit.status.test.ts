import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatClock } from './time.format.js';
import {
  crashesByAmbulance,
  lastReportText,
  matchesFilter,
  statusLabel,
  toneOf,
  unitPlace,
  unitStatus,
  urgencyRank,
} from './unit.status.js';

const NOW = Date.parse('2026-01-01T12:00:00.000Z');
const position = (recordedAt: string, state: 'GREEN' | 'ORANGE' | 'RED' = 'GREEN', speed = 40) => ({
  latitude: 45.5,
  longitude: -73.5,
  speed,
  state,
  recordedAt,
});
const crash = (id: string, recordedAt: string, ambulanceId = 'AMB-1') => ({
  id,
  ambulanceId,
  latitude: 45.6,
  longitude: -73.6,
  recordedAt,
});

describe('dashboard unit status', () => {
  it('says CRASH with the 24-hour crash time while a crash is unacknowledged, whatever the speed', () => {
    const crashed = crash('c1', '2026-01-01T11:58:00.000Z');
    const status = unitStatus(position('2026-01-01T11:59:59.000Z', 'GREEN', 0), crashed, NOW, 60);
    assert.equal(status.kind, 'crash');
    assert.equal(toneOf(status), 'crash');
    assert.equal(statusLabel(status), `CRASH ${formatClock(Date.parse(crashed.recordedAt))}`);
    assert.match(statusLabel(status), /^CRASH \d\d:\d\d$/);
  });

  it('shows a stale unit by its last report, not by a speed and state', () => {
    const status = unitStatus(position('2026-01-01T11:53:00.000Z', 'GREEN', 35), undefined, NOW, 60);
    assert.equal(status.kind, 'stale');
    assert.equal(statusLabel(status), 'STALE');
    assert.equal(toneOf(status), 'stale');
    if (status.kind !== 'stale') return;
    assert.equal(status.ageSeconds, 420);
    assert.equal(
      lastReportText(status.lastReportMs, status.ageSeconds),
      `last report ${formatClock(status.lastReportMs)} (7 min ago)`,
    );
  });

  it('shows an OFFLINE unit past the offline threshold as "offline since HH:MM", without a speed', () => {
    const stale = unitStatus(position('2026-01-01T11:53:00.000Z', 'GREEN', 35), undefined, NOW, 60, 600);
    assert.equal(statusLabel(stale), 'STALE');
    const status = unitStatus(position('2026-01-01T11:53:00.000Z', 'GREEN', 35), undefined, NOW, 60, 300);
    assert.equal(status.kind, 'stale');
    assert.equal(statusLabel(status), 'OFFLINE');
    if (status.kind !== 'stale') return;
    assert.equal(status.offline, true);
    assert.equal(
      lastReportText(status.lastReportMs, status.ageSeconds, status.offline),
      `offline since ${formatClock(status.lastReportMs)}`,
    );
  });

  it('shows the live state of a fresh report, and NO REPORT for a unit without one', () => {
    const live = unitStatus(position('2026-01-01T11:59:50.000Z', 'RED', 142), undefined, NOW, 60);
    assert.deepEqual(live, { kind: 'live', state: 'RED', speed: 142 });
    assert.equal(statusLabel(unitStatus(null, undefined, NOW, 60)), 'NO REPORT');
  });

  it('keeps the newest crash of each ambulance', () => {
    const byAmbulance = crashesByAmbulance([
      crash('old', '2026-01-01T10:00:00.000Z'),
      crash('new', '2026-01-01T11:00:00.000Z'),
      crash('other', '2026-01-01T09:00:00.000Z', 'AMB-2'),
    ]);
    assert.equal(byAmbulance.get('AMB-1')?.id, 'new');
    assert.equal(byAmbulance.get('AMB-2')?.id, 'other');
  });

  it('places a unit at its crash when the crash is its newest news, else at its last report', () => {
    const crashed = crash('c1', '2026-01-01T11:00:00.000Z');
    assert.deepEqual(unitPlace(null, crashed), { latitude: 45.6, longitude: -73.6 });
    assert.deepEqual(unitPlace(position('2026-01-01T10:00:00.000Z'), crashed), { latitude: 45.6, longitude: -73.6 });
    assert.deepEqual(unitPlace(position('2026-01-01T11:30:00.000Z'), crashed), { latitude: 45.5, longitude: -73.5 });
    assert.equal(unitPlace(null, undefined), null);
  });

  it('ranks crashes first and units without a report last', () => {
    const ranks = [
      unitStatus(null, undefined, NOW, 60),
      unitStatus(position('2026-01-01T11:59:59.000Z', 'GREEN'), undefined, NOW, 60),
      unitStatus(null, crash('c', '2026-01-01T11:00:00.000Z'), NOW, 60),
      unitStatus(position('2026-01-01T11:59:59.000Z', 'RED'), undefined, NOW, 60),
    ].map(urgencyRank);
    assert.deepEqual(ranks, [5, 3, 0, 1]);
  });

  it('filters by part of the id in any case and by state', () => {
    const red = unitStatus(position('2026-01-01T11:59:59.000Z', 'RED'), undefined, NOW, 60);
    assert.equal(matchesFilter('AMB-101', red, 'amb-1', 'all'), true);
    assert.equal(matchesFilter('AMB-101', red, '202', 'all'), false);
    assert.equal(matchesFilter('AMB-101', red, '', 'red'), true);
    assert.equal(matchesFilter('AMB-101', red, '', 'green'), false);
  });
});
