import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAcknowledgements, prunedAcknowledgements, raiseAlerts, withoutAlert } from './crash.alerts.js';

const crash = (id: string, minute: number) => ({
  id,
  recordedAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
});

describe('crash alerts', () => {
  it('stacks new crashes newest first, each once', () => {
    const first = raiseAlerts([], [crash('a', 1)], new Set());
    const stacked = raiseAlerts(first, [crash('b', 3), crash('a', 1), crash('c', 2)], new Set());
    assert.deepEqual(
      stacked.map((alert) => alert.id),
      ['b', 'c', 'a'],
    );
    assert.equal(raiseAlerts(stacked, [crash('b', 3)], new Set()), stacked);
  });

  it('never raises an acknowledged crash again', () => {
    const alerts = raiseAlerts([crash('a', 1)], [crash('b', 2)], new Set(['b']));
    assert.deepEqual(
      alerts.map((alert) => alert.id),
      ['a'],
    );
    assert.deepEqual(withoutAlert(alerts, 'a'), []);
  });

  it('forgets acknowledgements older than what a reload would raise', () => {
    const kept = prunedAcknowledgements(
      new Map([
        ['old', 0],
        ['new', 9_000],
      ]),
      10_000,
      5_000,
    );
    assert.deepEqual([...kept.keys()], ['new']);
  });

  it('reads stored acknowledgements, ignoring what is not a time and text that is not JSON', () => {
    assert.deepEqual(parseAcknowledgements('{"a":5,"b":"x"}'), new Map([['a', 5]]));
    assert.deepEqual(parseAcknowledgements(null), new Map());
    assert.deepEqual(parseAcknowledgements('null'), new Map());
    assert.deepEqual(parseAcknowledgements('{not json'), new Map());
  });
});
