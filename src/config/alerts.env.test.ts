import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './env.config.js';

const SECRET = 'w'.repeat(32);

describe('alert configuration', () => {
  it('has no webhooks by default, and escalates after 120 s', () => {
    const config = loadConfig({});
    assert.deepEqual(config.ALERT_WEBHOOK_URLS, []);
    assert.equal(config.CRASH_ESCALATE_AFTER_SECONDS, 120);
    assert.equal(config.ALERT_MAX_ATTEMPTS, 20);
    assert.equal(loadConfig({ CRASH_ESCALATE_AFTER_SECONDS: '0' }).CRASH_ESCALATE_AFTER_SECONDS, 0);
  });

  it('reads `URL|KINDS` entries separated by ";" or line breaks, with the default kinds when none are given', () => {
    const config = loadConfig({
      ALERT_WEBHOOK_SECRET: SECRET,
      ALERT_WEBHOOK_URLS:
        ' https://a.example/hook?token=x%3By|crash_reported, WENT_OFFLINE ;\nhttps://b.example/in|PLACE_ENTERED:HOSPITAL,PLACE_LEFT\nhttp://10.0.0.5:8080/alerts',
    });
    assert.deepEqual(
      config.ALERT_WEBHOOK_URLS.map((target) => target.url),
      ['https://a.example/hook?token=x%3By', 'https://b.example/in', 'http://10.0.0.5:8080/alerts'],
    );
    assert.deepEqual(config.ALERT_WEBHOOK_URLS[0]?.kinds, [
      { kind: 'CRASH_REPORTED', placeKind: null },
      { kind: 'WENT_OFFLINE', placeKind: null },
    ]);
    assert.deepEqual(config.ALERT_WEBHOOK_URLS[1]?.kinds, [
      { kind: 'PLACE_ENTERED', placeKind: 'HOSPITAL' },
      { kind: 'PLACE_LEFT', placeKind: null },
    ]);
    assert.deepEqual(
      config.ALERT_WEBHOOK_URLS[2]?.kinds.map(
        (filter) => filter.kind + (filter.placeKind ? `:${filter.placeKind}` : ''),
      ),
      ['CRASH_REPORTED', 'CRASH_ESCALATED', 'SPEEDING_STARTED', 'PLACE_ENTERED:HOSPITAL', 'WENT_OFFLINE'],
    );
  });

  it('refuses bad entries with a message that names the entry and the fix', () => {
    const cases: Array<[string, RegExp]> = [
      ['ftp://a.example/x', /entry 1 .*https:\/\/ or http:\/\//],
      ['a.example/hook', /entry 1 .*not a URL/],
      ['https://a.example/x|CRASH', /unknown alert kind "CRASH"; kinds are PLACE_ENTERED/],
      ['https://a.example/x|', /kinds list after "\|" is empty/],
      ['https://a.example/x|CRASH_REPORTED|WENT_OFFLINE', /one "\|"/],
      ['https://a.example/x|WENT_OFFLINE:HOSPITAL', /only PLACE_ENTERED and PLACE_LEFT take a place kind/],
      ['https://a.example/x|PLACE_ENTERED:CLINIC', /unknown place kind "CLINIC"/],
      ['https://a.example/x,https://b.example/y', /separate webhook entries with ";"/],
      ['https://a.example/x;https://a.example/x|WENT_OFFLINE', /listed twice/],
    ];
    for (const [urls, message] of cases) {
      assert.throws(
        () => loadConfig({ ALERT_WEBHOOK_SECRET: SECRET, ALERT_WEBHOOK_URLS: urls }),
        (error: Error) =>
          error instanceof ConfigError && /ALERT_WEBHOOK_URLS/.test(error.message) && message.test(error.message),
        urls,
      );
    }
  });

  it('requires a secret with webhooks, and consistent retry and escalation bounds', () => {
    assert.throws(() => loadConfig({ ALERT_WEBHOOK_URLS: 'https://a.example/x' }), /ALERT_WEBHOOK_SECRET is not/);
    assert.throws(
      () => loadConfig({ ALERT_WEBHOOK_URLS: 'https://a.example/x', ALERT_WEBHOOK_SECRET: 'short' }),
      /ALERT_WEBHOOK_SECRET: must be at least 16/,
    );
    assert.throws(() => loadConfig({ ALERT_RETRY_BASE_MS: '5000', ALERT_RETRY_MAX_MS: '1000' }), /must not exceed/);
    assert.throws(
      () => loadConfig({ CRASH_ESCALATE_AFTER_SECONDS: '3600', CRASH_ESCALATE_LOOKBACK_MINUTES: '60' }),
      /could ever be escalated/,
    );
  });
});
