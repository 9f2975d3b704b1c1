import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AmbulanceDoc } from '../src/models/ambulance.model.js';
import { inBatches } from './helpers/graphql.helpers.js';
import { postJson, trackingFields } from './helpers/http.client.js';
import { assertRefused, storedState } from './helpers/ingest.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { uniqueName } from './helpers/test-env.js';

const LIMIT = 20;
const MADE_UP = 100;
const fromAddress = (address: string) => ({ 'x-forwarded-for': address });

describe('new ambulance ids per source address (INGEST_NEW_AMBULANCES_PER_ADDRESS_PER_HOUR)', () => {
  let app: TestApp;
  const genuine = uniqueName('real');

  before(async () => {
    app = await startTestApp({ events: 'local', env: { INGEST_NEW_AMBULANCES_PER_ADDRESS_PER_HOUR: String(LIMIT) } });
    // A genuine device that has posted before, from another address.
    const first = await postJson(app, 'tracking', trackingFields(genuine), fromAddress('192.0.2.10'));
    assert.equal(first.status, 200, first.text);
  });
  after(() => app.close());

  it(`stores ${LIMIT} of a flood of ${MADE_UP} made-up ids from one address and refuses the rest with 429, while a known device keeps posting`, async () => {
    const flood = '203.0.113.77';
    const statuses = await inBatches(MADE_UP, 10, async (n) => {
      // The genuine device posts from the same address as the flood, in between.
      const known = await postJson(app, 'tracking', trackingFields(genuine), fromAddress(flood));
      assert.equal(known.status, 200, `known device: ${known.text}`);
      const result = await postJson(app, 'tracking', trackingFields(`FLOOD${n}`), fromAddress(flood));
      if (result.status !== 200) {
        assertRefused(result, { status: 429, code: 'NEW_AMBULANCE_RATE_LIMITED', field: 'ambulance_id' });
        const retryAfter = Number(result.headers.get('retry-after'));
        assert.ok(retryAfter >= 1 && retryAfter <= 3600, `Retry-After ${retryAfter}`);
        assert.match(
          (result.body as { error: string }).error,
          new RegExp(
            `ambulance_id "FLOOD${n}" has never posted here.*${LIMIT} new ambulance ids in the last hour.*retry in \\d+ s`,
          ),
        );
      }
      return result.status;
    });
    assert.equal(statuses.filter((status) => status === 200).length, LIMIT);
    assert.equal(statuses.filter((status) => status === 429).length, MADE_UP - LIMIT);
    const { ambulances } = await storedState(app);
    assert.equal(ambulances, 1 + LIMIT, 'refused ids get no fleet document');
  });

  it('never counts or refuses ids already known: admitted ones, and ones with a fleet document', async () => {
    const address = '203.0.113.78';
    const ids = Array.from({ length: LIMIT }, (_, n) => `${uniqueName('k')}${n}`);
    for (const id of ids)
      assert.equal((await postJson(app, 'tracking', trackingFields(id), fromAddress(address))).status, 200);
    const over = await postJson(app, 'tracking', trackingFields(uniqueName('new')), fromAddress(address));
    assertRefused(over, { status: 429, code: 'NEW_AMBULANCE_RATE_LIMITED' }, 'the budget is used up');
    const crash = await postJson(app, 'crash', trackingFields(uniqueName('newCrash')), fromAddress(address));
    assert.equal(crash.status, 200, `a crash from an unknown ambulance is never refused: ${crash.text}`);
    for (const id of ids) {
      const again = await postJson(app, 'tracking', trackingFields(id), fromAddress(address));
      assert.equal(again.status, 200, again.text);
    }
    // Stored points (a legacy database keys its fleet documents differently) make the id known.
    const legacy = uniqueName('legacy');
    await app.app.models.collections.trackings.insertOne({
      ambulance_id: legacy,
      count_datetime: new Date(),
    } as never);
    const tracked = await postJson(app, 'tracking', trackingFields(legacy), fromAddress(address));
    assert.equal(tracked.status, 200, tracked.text);
    // A fleet document written by another instance (or before a restart) makes the id known here too.
    const elsewhere = uniqueName('elsewhere');
    await app.app.models.collections.ambulances.insertOne({ _id: elsewhere } as AmbulanceDoc);
    const known = await postJson(app, 'tracking', trackingFields(elsewhere), fromAddress(address));
    assert.equal(known.status, 200, known.text);
    // Another address has its own budget.
    const other = await postJson(app, 'tracking', trackingFields(uniqueName('new')), fromAddress('203.0.113.79'));
    assert.equal(other.status, 200, other.text);
  });
});
