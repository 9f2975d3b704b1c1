import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSettings } from './settings.parse.js';

const NOW = new Date('2026-01-02T03:04:05.000Z');

describe('dashboard settings parsing', () => {
  it('keeps what the server sent', () => {
    const sent = {
      staleAfterSeconds: 45,
      offlineAfterSeconds: 240,
      alertLookbackMinutes: 10,
      tileUrl: 'https://tiles.example/{z}/{x}/{y}.png',
      tileAttribution: '© Example',
      pmtilesUrl: '/dashboard/basemap.pmtiles',
      maxPageSize: 500,
      serverTime: '2026-01-02T03:00:00.000Z',
      signInRequired: false,
    };
    assert.deepEqual(parseSettings(sent, NOW), sent);
  });

  it('falls back to safe defaults for missing or unusable values', () => {
    assert.deepEqual(parseSettings({ staleAfterSeconds: -1, maxPageSize: 0.5, tileUrl: '' }, NOW), {
      staleAfterSeconds: 60,
      offlineAfterSeconds: 300,
      alertLookbackMinutes: 30,
      tileUrl: null,
      tileAttribution: null,
      pmtilesUrl: null,
      maxPageSize: 1,
      serverTime: NOW.toISOString(),
      signInRequired: true,
    });
  });
});
