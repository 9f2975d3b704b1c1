import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Reading } from '../domain/repeated-report.rules.js';
import { conflictingPointId, devicePointId } from '../models/tracking-point.id.js';
import { devicePointIdsOf, placeReports, type ReportToPlace, type StoredPoint } from './point.placement.js';

const TIME = new Date('2024-03-05T10:00:00.000Z');
const GENUINE: Reading = { latitude: 13.75, longitude: 100.5, speed: 42, heading: 90 };
const FORGED: Reading = { latitude: 0, longitude: 0, speed: 42, heading: 90 };

const report = (reading: Reading, time: Date | null = TIME, ambulanceId = '336'): ReportToPlace => ({
  reading,
  ids: devicePointIdsOf({ ambulanceId, deviceTime: time, ...reading }),
});

const storedAs = (id: ReturnType<typeof devicePointId>, reading: Reading, conflict?: boolean): StoredPoint => ({
  _id: id,
  location: { lat: reading.latitude, lon: reading.longitude },
  speed: reading.speed,
  heading: reading.heading,
  ...(conflict ? { conflict } : {}),
});

const storedMap = (...points: StoredPoint[]) => new Map(points.map((point) => [point._id.toHexString(), point]));
const FIRST = devicePointId('336', TIME);

describe('placeReports', () => {
  it('stores a first report under its ambulance-and-time id, unmarked', () => {
    const { placements, contradicted } = placeReports([report(GENUINE)], new Map());
    assert.deepEqual(placements, [{ duplicate: false, id: FIRST, conflict: false }]);
    assert.deepEqual(contradicted, []);
  });

  it('answers an exact repeat of the stored report as a duplicate', () => {
    const { placements, contradicted } = placeReports([report(GENUINE)], storedMap(storedAs(FIRST, GENUINE)));
    assert.deepEqual(placements, [{ duplicate: true }]);
    assert.deepEqual(contradicted, []);
  });

  it('stores a report contradicting the stored one under an id of its own, marking both', () => {
    const { placements, contradicted } = placeReports([report(GENUINE)], storedMap(storedAs(FIRST, FORGED)));
    assert.deepEqual(placements, [{ duplicate: false, id: conflictingPointId('336', TIME, GENUINE), conflict: true }]);
    assert.deepEqual(contradicted, [FIRST]);
  });

  it('differs in speed or heading alone is a conflict too', () => {
    for (const changed of [
      { ...GENUINE, speed: 43 },
      { ...GENUINE, heading: 91 },
    ]) {
      const { placements } = placeReports([report(changed)], storedMap(storedAs(FIRST, GENUINE)));
      assert.equal(placements[0]?.duplicate, false);
    }
  });

  it('answers a repeat of a stored conflicting report as a duplicate, without marking again', () => {
    const conflicting = conflictingPointId('336', TIME, GENUINE);
    const { placements, contradicted } = placeReports(
      [report(GENUINE)],
      storedMap(storedAs(FIRST, FORGED, true), storedAs(conflicting, GENUINE, true)),
    );
    assert.deepEqual(placements, [{ duplicate: true }]);
    assert.deepEqual(contradicted, []);
  });

  it('does not mark a stored report again once it is marked', () => {
    const { contradicted } = placeReports([report(GENUINE)], storedMap(storedAs(FIRST, FORGED, true)));
    assert.deepEqual(contradicted, []);
  });

  it('marks both reports of one moment arriving in the same batch', () => {
    const { placements } = placeReports([report(FORGED), report(GENUINE)], new Map());
    assert.deepEqual(placements, [
      { duplicate: false, id: FIRST, conflict: true },
      { duplicate: false, id: conflictingPointId('336', TIME, GENUINE), conflict: true },
    ]);
  });

  it('stores reports without a device time, other ambulances and other times independently', () => {
    const { placements } = placeReports(
      [
        report(GENUINE, null),
        report(GENUINE, null),
        report(FORGED, TIME, '337'),
        report(FORGED, new Date(TIME.getTime() + 1)),
      ],
      storedMap(storedAs(FIRST, GENUINE)),
    );
    assert.ok(placements.every((placement) => !placement.duplicate && !placement.conflict));
    const ids = placements.map((placement) => (placement.duplicate ? '' : placement.id.toHexString()));
    assert.equal(new Set(ids).size, 4);
  });
});

describe('devicePointIdsOf', () => {
  it('has no ids without a device time', () => {
    assert.equal(devicePointIdsOf({ ambulanceId: '336', deviceTime: null, ...GENUINE }), null);
    assert.equal(devicePointIdsOf({ ambulanceId: '336', ...GENUINE }), null);
  });

  it('keeps the first id of earlier versions (ambulance and device time), so their retries stay duplicates', () => {
    const ids = devicePointIdsOf({ ambulanceId: '336', deviceTime: TIME, ...GENUINE });
    assert.ok(ids?.first.equals(FIRST));
    assert.equal(FIRST.getTimestamp().getTime(), TIME.getTime());
  });

  it('gives each reading of one moment its own conflict id, the same for the same reading', () => {
    const idOf = (reading: Reading) =>
      devicePointIdsOf({ ambulanceId: '336', deviceTime: TIME, ...reading })?.conflicting.toHexString();
    const ids = [GENUINE, FORGED, { ...GENUINE, speed: 43 }, { ...GENUINE, heading: 91 }].map(idOf);
    assert.equal(new Set([...ids, FIRST.toHexString()]).size, 5);
    assert.equal(idOf({ ...GENUINE }), ids[0]);
  });
});
