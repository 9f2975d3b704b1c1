import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ENDPOINTS, postFields, trackingFields } from './helpers/http.client.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { uniqueName } from './helpers/test-env.js';

describe('remembered speeding episodes are bounded (INGEST_EPISODE_CACHE_SIZE)', () => {
  const CACHE_SIZE = 2;
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ events: 'local', env: { INGEST_EPISODE_CACHE_SIZE: String(CACHE_SIZE) } });
  });
  after(() => app.close());

  const track = async (id: string, speed: number) => {
    const result = await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields(id, speed));
    assert.equal(result.status, 200, result.text);
  };
  const episodesOf = async (id: string) =>
    (await app.app.models.collections.trackings.find({ ambulance_id: id }).sort({ count_datetime: 1 }).toArray()).map(
      (doc) => doc.speeding_episode_id?.toHexString() ?? null,
    );

  it('forgets the least recently seen ambulances, however many ids are sent', async () => {
    for (let index = 0; index < 20; index += 1) await track(uniqueName('made-up'), 50);
    assert.equal(app.app.trackingWriter.rememberedAmbulances, CACHE_SIZE);
  });

  it('continues a forgotten ambulance’s episode from the database, then ends it on a GREEN point', async () => {
    const id = uniqueName('evicted');
    await track(id, 100);
    // Others push it out at once, before its fleet and episode documents are projected.
    for (let index = 0; index < CACHE_SIZE + 1; index += 1) await track(uniqueName('other'), 130);
    await track(id, 130);
    await track(id, 90);
    for (let index = 0; index < CACHE_SIZE + 1; index += 1) await track(uniqueName('other'), 50);
    await app.app.trackingWriter.drained();
    await track(id, 110);
    await track(id, 40);
    await track(id, 85);
    await app.app.trackingWriter.drained();

    const [first, second, third, fourth, green, next] = await episodesOf(id);
    assert.ok(first);
    assert.deepEqual([second, third, fourth], [first, first, first], 'one episode across the evictions');
    assert.equal(green, null);
    assert.ok(next && next !== first, 'a new episode after the GREEN point');
    const episode = await app.app.models.collections.speedingEpisodes.findOne({
      _id: (await app.app.models.collections.trackings.findOne({ ambulance_id: id }))?.speeding_episode_id,
    });
    assert.equal(episode?.point_count, 4);
    assert.equal(episode?.max_state, 'RED');
    assert.equal(episode?.max_speed, 130);
  });
});
