import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SpeedStateName } from './speed.state.js';
import { nextEpisode } from './speeding-episode.js';

/** Feeds states through nextEpisode like the tracking writer does, numbering new episodes 1, 2, ... */
function episodesOf(states: SpeedStateName[]): { ids: Array<number | null>; opened: boolean[]; created: number } {
  let current: number | null = null;
  let created = 0;
  const ids: Array<number | null> = [];
  const opened: boolean[] = [];
  for (const state of states) {
    const result: { episodeId: number | null; opened: boolean } = nextEpisode<number>(current, state, () => {
      created += 1;
      return created;
    });
    ids.push(result.episodeId);
    opened.push(result.opened);
    current = result.episodeId;
  }
  return { ids, opened, created };
}

describe('nextEpisode', () => {
  it('GREEN points belong to no episode', () => {
    const { ids, created } = episodesOf(['GREEN', 'GREEN', 'GREEN']);
    assert.deepEqual(ids, [null, null, null]);
    assert.equal(created, 0);
  });

  it('consecutive ORANGE/RED points share one episode', () => {
    const { ids, opened, created } = episodesOf(['GREEN', 'ORANGE', 'RED', 'RED', 'ORANGE']);
    assert.deepEqual(ids, [null, 1, 1, 1, 1]);
    assert.deepEqual(opened, [false, true, false, false, false]);
    assert.equal(created, 1);
  });

  it('ORANGE -> RED -> ORANGE is one episode', () => {
    const { ids, created } = episodesOf(['ORANGE', 'RED', 'ORANGE']);
    assert.deepEqual(ids, [1, 1, 1]);
    assert.equal(created, 1);
  });

  it('a GREEN point ends the episode and the next speeding point opens a new one', () => {
    const { ids, opened, created } = episodesOf(['RED', 'ORANGE', 'GREEN', 'ORANGE', 'GREEN', 'GREEN', 'RED']);
    assert.deepEqual(ids, [1, 1, null, 2, null, null, 3]);
    assert.deepEqual(opened, [true, false, false, true, false, false, true]);
    assert.equal(created, 3);
  });

  it('continues an episode already open before this point, without creating an id', () => {
    const result = nextEpisode('existing', 'RED', () => {
      throw new Error('must not create an id');
    });
    assert.deepEqual(result, { episodeId: 'existing', opened: false });
  });

  it('GREEN closes an open episode', () => {
    const result = nextEpisode('existing', 'GREEN', () => 'new');
    assert.deepEqual(result, { episodeId: null, opened: false });
  });
});
