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
