import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appearanceOf, formatSpeed, STATE_COLOURS } from './speed.state.js';

describe('dashboard state colour', () => {
  it('gives every state a colour and a text label', () => {
    assert.deepEqual(
      (['GREEN', 'ORANGE', 'RED'] as const).map((state) => [
        appearanceOf(state, false).label,
        appearanceOf(state, false).colour,
      ]),
      [
        ['GREEN', STATE_COLOURS.green],
        ['ORANGE', STATE_COLOURS.orange],
        ['RED', STATE_COLOURS.red],
      ],
    );
    assert.match(appearanceOf('RED', false).description, /above 120 km\/h/);
  });

  it('greys a stale ambulance and says so in words, keeping its last state', () => {
    const stale = appearanceOf('RED', true);
    assert.equal(stale.tone, 'stale');
    assert.equal(stale.colour, STATE_COLOURS.stale);
    assert.equal(stale.label, 'RED · STALE');
    assert.match(stale.description, /out of date/);
  });

  it('formats speeds, including unknown ones', () => {
    assert.equal(formatSpeed(87.6), '88 km/h');
    assert.equal(formatSpeed(null), '– km/h');
  });
});
