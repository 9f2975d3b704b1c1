import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { speedStateOf } from './speed.state.js';
import {
  type EpisodePoint,
  type EpisodeSummary,
  episodeAfterPoint,
  laterEpisodeChange,
  summariseEpisode,
  withPoint,
} from './speeding-episode.rules.js';

const T0 = Date.parse('2024-03-05T10:00:00Z');
const point = (speed: number, second: number): EpisodePoint => ({
  speed,
  state: speedStateOf(speed),
  at: new Date(T0 + second * 1000),
});

/** Feeds points through episodeAfterPoint as the tracking writer does, numbering new episodes 1, 2, ... */
function feed(points: readonly EpisodePoint[], start: EpisodeSummary<number> | null = null, firstId = 1) {
  let current = start;
  let nextId = firstId;
  const episodes: Array<EpisodeSummary<number> | null> = [];
  for (const next of points) {
    current = episodeAfterPoint(current, '332', next, () => nextId++).episode;
    episodes.push(current);
  }
  return { current, episodes };
}

describe('episodeAfterPoint', () => {
  it('opens an episode on the first speeding point and counts it', () => {
    const { episode, opened } = episodeAfterPoint(null, '332', point(130, 5), () => 'e1');
    assert.equal(opened, true);
    assert.deepEqual(episode, {
      id: 'e1',
      ambulanceId: '332',
      startedAt: new Date(T0 + 5000),
      endedAt: new Date(T0 + 5000),
      maxSpeed: 130,
      maxState: 'RED',
      pointCount: 1,
    });
  });

  it('continues the current episode without a new id, and a GREEN point ends it', () => {
    const opened = episodeAfterPoint(null, '332', point(90, 0), () => 'e1').episode;
    const next = episodeAfterPoint(opened, '332', point(125, 3), () => {
      throw new Error('must not create an id');
    });
    assert.equal(next.opened, false);
    assert.deepEqual(next.episode, {
      id: 'e1',
      ambulanceId: '332',
      startedAt: new Date(T0),
      endedAt: new Date(T0 + 3000),
      maxSpeed: 125,
      maxState: 'RED',
      pointCount: 2,
    });
    assert.deepEqual(
      episodeAfterPoint(next.episode, '332', point(80, 4), () => 'e2'),
      {
        episode: null,
        opened: false,
      },
    );
  });

  it('keeps RED once reached and the highest speed seen', () => {
    const { current } = feed([point(130, 0), point(85, 1), point(90, 2)]);
    assert.equal(current?.maxState, 'RED');
    assert.equal(current?.maxSpeed, 130);
    assert.equal(current?.pointCount, 3);
  });
});

describe('summariseEpisode (the summary rebuilt from stored points)', () => {
  it('is null without points', () => {
    assert.equal(summariseEpisode('e1', '332', []), null);
  });

  it('spans the earliest to the latest point, in any order', () => {
    const summary = summariseEpisode('e1', '332', [point(100, 9), point(85, 2), point(110, 4)]);
    assert.deepEqual(summary, {
      id: 'e1',
      ambulanceId: '332',
      startedAt: new Date(T0 + 2000),
      endedAt: new Date(T0 + 9000),
      maxSpeed: 110,
      maxState: 'ORANGE',
      pointCount: 3,
    });
  });
});

describe('laterEpisodeChange', () => {
  it('lets the newer state win', () => {
    const older = { episode: 'a', isNew: false };
    const newer = { episode: 'b', isNew: false };
    assert.deepEqual(laterEpisodeChange(older, newer), newer);
    assert.deepEqual(laterEpisodeChange(undefined, { episode: 'b', isNew: true }), { episode: 'b', isNew: true });
  });

  it('keeps an episode new until it was written', () => {
    assert.deepEqual(laterEpisodeChange({ episode: 'a', isNew: true }, { episode: 'b', isNew: false }), {
      episode: 'b',
      isNew: true,
    });
  });
});

const speedingPoint = fc
  .record({ speed: fc.double({ min: 80.001, max: 400, noNaN: true }), second: fc.integer({ min: 0, max: 86_400 }) })
  .map(({ speed, second }) => point(speed, second));
const anyPoint = fc
  .record({ speed: fc.double({ min: 0, max: 400, noNaN: true }), second: fc.integer({ min: 0, max: 86_400 }) })
  .map(({ speed, second }) => point(speed, second));

describe('speeding episode properties', () => {
  it('an episode’s max speed is at least every point’s, its count is its points, its span covers them all', () => {
    fc.assert(
      fc.property(fc.array(speedingPoint, { minLength: 1, maxLength: 40 }), (points) => {
        const summary = summariseEpisode('e', '332', points);
        assert.ok(summary);
        assert.equal(summary.pointCount, points.length);
        for (const each of points) {
          assert.ok(summary.maxSpeed >= each.speed);
          assert.ok(summary.startedAt <= each.at && each.at <= summary.endedAt);
        }
        assert.ok(points.some((each) => each.speed === summary.maxSpeed));
        assert.equal(
          summary.maxState === 'RED',
          points.some((each) => each.state === 'RED'),
        );
      }),
    );
  });

  it('gives the same summary however the points are split into batches (the state carried between them)', () => {
    fc.assert(
      fc.property(
        fc.array(speedingPoint, { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (points, cuts) => {
          const whole = feed(points).current;
          let carried: EpisodeSummary<number> | null = null;
          const bounds = [...new Set([0, ...cuts.map((cut) => cut % points.length), points.length])].sort(
            (a, b) => a - b,
          );
          for (let index = 1; index < bounds.length; index += 1) {
            // Only the first batch may open the episode: the later ones continue the one carried over.
            carried = feed(points.slice(bounds[index - 1], bounds[index]), carried, index === 1 ? 1 : 99).current;
          }
          assert.deepEqual(carried, whole);
        },
      ),
    );
  });

  it('continuing from the summary rebuilt out of stored points equals remembering the episode (cache reload)', () => {
    fc.assert(
      fc.property(fc.array(speedingPoint, { minLength: 2, maxLength: 40 }), fc.nat(), (points, cut) => {
        const at = 1 + (cut % (points.length - 1));
        const remembered = feed(points).current;
        const rebuilt = summariseEpisode(1, '332', points.slice(0, at));
        assert.deepEqual(feed(points.slice(at), rebuilt, 99).current, remembered);
      }),
    );
  });

  it('makes one episode per run of consecutive speeding points, each summarising exactly that run', () => {
    fc.assert(
      fc.property(fc.array(anyPoint, { maxLength: 60 }), (points) => {
        const { episodes } = feed(points);
        const runs: EpisodePoint[][] = [];
        points.forEach((each, index) => {
          if (each.state === 'GREEN') return;
          if (index === 0 || points[index - 1]?.state === 'GREEN') runs.push([]);
          runs.at(-1)?.push(each);
        });
        const finalOfEachRun = episodes.filter((episode, index) => episode && !episodes[index + 1]);
        assert.deepEqual(
          finalOfEachRun,
          runs.map((run, index) => summariseEpisode(index + 1, '332', run)),
        );
        assert.deepEqual(
          episodes.map((episode) => episode === null),
          points.map((each) => each.state === 'GREEN'),
        );
      }),
    );
  });

  it('withPoint never lowers the maxima nor narrows the span', () => {
    fc.assert(
      fc.property(fc.array(speedingPoint, { minLength: 1, maxLength: 20 }), speedingPoint, (points, extra) => {
        const before = summariseEpisode('e', '332', points);
        assert.ok(before);
        const after = withPoint(before, extra);
        assert.ok(after.maxSpeed >= before.maxSpeed && after.startedAt <= before.startedAt);
        assert.ok(after.endedAt >= before.endedAt && after.pointCount === before.pointCount + 1);
        assert.ok(before.maxState === 'ORANGE' || after.maxState === 'RED');
      }),
    );
  });
});
