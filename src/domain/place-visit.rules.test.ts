import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyReport, NO_VISITS, type PlaceVisits, type VisitPlace, visitsChanged } from './place-visit.rules.js';

const hospital: VisitPlace = {
  id: 'h1',
  name: 'City Hospital',
  kind: 'HOSPITAL',
  shape: { kind: 'circle', center: { latitude: 13.75, longitude: 100.5 }, radiusMeters: 100 },
};
const north = (metres: number) => ({ latitude: 13.75 + metres / 111_320, longitude: 100.5 });
const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 8, 0, seconds));
const rules = { dwellMs: 20_000, exitMarginMeters: 30 };

function run(reports: Array<[metres: number, seconds: number]>, start: PlaceVisits = NO_VISITS) {
  let visits = start;
  const log: string[] = [];
  for (const [metres, seconds] of reports) {
    const outcome = applyReport(visits, { ...north(metres), at: at(seconds) }, [hospital], rules);
    visits = outcome.visits;
    log.push(...outcome.entered.map(() => `entered@${seconds}`), ...outcome.left.map(() => `left@${seconds}`));
  }
  return { visits, log };
}

describe('place visits', () => {
  it('enters only after the dwell time inside, counted from the first report inside', () => {
    assert.deepEqual(
      run([
        [500, 0],
        [50, 5],
        [40, 15],
        [30, 25],
        [20, 30],
      ]).log,
      ['entered@25'],
    );
  });

  it('restarts the dwell when a report falls outside before it is over', () => {
    assert.deepEqual(
      run([
        [50, 0],
        [150, 10],
        [50, 15],
        [50, 30],
        [50, 35],
      ]).log,
      ['entered@35'],
    );
  });

  it('enters at the first report inside with a dwell of 0', () => {
    const outcome = applyReport(NO_VISITS, { ...north(10), at: at(0) }, [hospital], { ...rules, dwellMs: 0 });
    assert.equal(outcome.entered.length, 1);
  });

  it('does not flap on jitter around the border; leaves once beyond the margin', () => {
    const jitter: Array<[number, number]> = [
      [90, 0],
      [95, 30],
      [105, 35],
      [98, 40],
      [115, 45],
      [99, 50],
      [125, 55],
      [95, 60],
    ];
    assert.deepEqual(run(jitter).log, ['entered@30']);
    assert.deepEqual(run([...jitter, [135, 65], [140, 70]]).log, ['entered@30', 'left@65']);
  });

  it('names a visit by its first report inside, the same for every instance that applies the same reports', () => {
    const first = applyReport(NO_VISITS, { ...north(10), at: at(0) }, [hospital], rules);
    const second = applyReport(first.visits, { ...north(10), at: at(20) }, [hospital], rules);
    assert.equal(second.entered[0]?.since.getTime(), at(0).getTime());
    assert.equal(second.entered[0]?.at.getTime(), at(20).getTime());
  });

  it('ignores reports older than the newest applied, and forgets deleted places without an event', () => {
    const { visits } = run([
      [10, 0],
      [10, 20],
    ]);
    assert.equal(visits.inside.length, 1);
    assert.equal(applyReport(visits, { ...north(500), at: at(10) }, [hospital], rules).left.length, 0);
    const gone = applyReport(visits, { ...north(500), at: at(40) }, [], rules);
    assert.equal(gone.left.length, 0);
    assert.equal(gone.visits.inside.length, 0);
  });

  it('tells changes that need storing from a newer time alone', () => {
    const { visits } = run([
      [10, 0],
      [10, 20],
    ]);
    const later = applyReport(visits, { ...north(10), at: at(40) }, [hospital], rules).visits;
    assert.equal(visitsChanged(visits, later), false);
    assert.equal(visitsChanged(NO_VISITS, visits), true);
  });
});
