import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  clockTime,
  createClock,
  indexAt,
  isFinished,
  pause,
  play,
  sampleAt,
  scrubScale,
  scrubValue,
  seek,
  setRate,
  type TimedPoint,
} from './replay.timing.js';

const point = (timeMs: number, latitude: number, longitude: number, speed: number): TimedPoint => ({
  timeMs,
  latitude,
  longitude,
  speed,
  state: speed > 120 ? 'RED' : speed > 80 ? 'ORANGE' : 'GREEN',
});

describe('replay clock', () => {
  it('stands still while paused and advances at its rate while playing', () => {
    const paused = createClock(1000, 61_000, 10);
    assert.equal(clockTime(paused, 5_000), 1000);
    const playing = play(paused, 100);
    assert.equal(clockTime(playing, 100), 1000);
    assert.equal(clockTime(playing, 1_100), 11_000);
    const stopped = pause(playing, 2_100);
    assert.equal(stopped.playing, false);
    assert.equal(clockTime(stopped, 99_999), 21_000);
  });

  it('stops at the end and plays again from the start', () => {
    const clock = play(createClock(0, 10_000, 100), 0);
    assert.equal(clockTime(clock, 1_000), 10_000);
    assert.equal(isFinished(clock, 1_000), true);
    assert.equal(isFinished(clock, 50), false);
    const again = play(clock, 2_000);
    assert.equal(clockTime(again, 2_000), 0);
  });

  it('seeks within the range, keeping play or pause', () => {
    const clock = createClock(0, 10_000);
    assert.equal(clockTime(seek(clock, 20_000, 0), 0), 10_000);
    assert.equal(clockTime(seek(clock, -5, 0), 0), 0);
    const playing = seek(play(clock, 0), 4_000, 500);
    assert.equal(clockTime(playing, 600), 4_000 + 100 * playing.rate);
  });

  it('changes rate without jumping', () => {
    const clock = play(createClock(0, 1_000_000, 2), 0);
    const faster = setRate(clock, 60, 1_000);
    assert.equal(clockTime(faster, 1_000), 2_000);
    assert.equal(clockTime(faster, 2_000), 62_000);
    assert.throws(() => setRate(clock, 0, 0), RangeError);
  });
});

describe('replay scrub slider', () => {
  it('keeps both ends and every value it shows on its grid, whatever the length of the range', () => {
    const start = 1_796_599_984_813;
    for (const span of [0, 1, 300, 749, 750, 859, 1_001, 2_999, 3_600_000, 86_400_007, 7 * 86_400_000 + 13]) {
      const end = start + span;
      const scale = scrubScale(start, end);
      assert.equal(scale.min, start);
      assert.equal((scale.max - scale.min) % scale.step, 0, `max on the grid for a ${span} ms range`);
      assert.ok(
        scale.max >= end && scale.max - end < Math.max(scale.step, span === 0 ? 2 : 0),
        `max covers ${span} ms`,
      );
      for (const time of [start, start + span / 3, end - 1, end, end + 5_000, start - 5_000]) {
        const value = scrubValue(scale, time);
        assert.equal((value - scale.min) % scale.step, 0, `value for ${time - start} ms into ${span} ms on the grid`);
        assert.ok(value >= scale.min && value <= scale.max);
      }
      assert.equal(scrubValue(scale, start), scale.min);
    }
  });

  it('moves about a five-hundredth of the range per step, between 1 ms and 1 s', () => {
    assert.deepEqual(scrubScale(0, 859), { min: 0, max: 860, step: 2 });
    assert.deepEqual(scrubScale(5, 5), { min: 5, max: 6, step: 1 }, 'a range of one instant still has two positions');
    assert.equal(scrubValue(scrubScale(0, 859), 859), 860, 'the end shows as the last position, not one step before');
    assert.equal(scrubScale(0, 300).step, 1);
    assert.equal(scrubScale(0, 3_600_000).step, 1_000);
    assert.equal(scrubScale(0, 100_000).step, 200);
  });
});

describe('replay sampling', () => {
  const points = [point(0, 45, -73, 50), point(10_000, 45.1, -73.2, 90), point(20_000, 45.2, -73.4, 130)];

  it('finds the last point at or before a time', () => {
    assert.equal(indexAt(points, -1), -1);
    assert.equal(indexAt(points, 0), 0);
    assert.equal(indexAt(points, 9_999), 0);
    assert.equal(indexAt(points, 10_000), 1);
    assert.equal(indexAt(points, 99_000), 2);
  });

  it('moves linearly between reports and shows the reported speed and state', () => {
    const sample = sampleAt(points, 15_000);
    assert.ok(sample);
    assert.equal(sample.index, 1);
    assert.ok(Math.abs(sample.latitude - 45.15) < 1e-9);
    assert.ok(Math.abs(sample.longitude + 73.3) < 1e-9);
    assert.equal(sample.speed, 90);
    assert.equal(sample.state, 'ORANGE');
  });

  it('holds the first and last positions outside the range', () => {
    assert.deepEqual(sampleAt(points, -500), { index: 0, latitude: 45, longitude: -73, speed: 50, state: 'GREEN' });
    assert.equal(sampleAt(points, 30_000)?.latitude, 45.2);
    assert.equal(sampleAt([], 0), null);
  });
});
