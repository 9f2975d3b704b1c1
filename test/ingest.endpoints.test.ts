import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Types } from 'mongoose';
import { speedStateOf } from '../src/domain/speed.state.js';
import type { TrackingDoc } from '../src/models/tracking.model.js';
import { graphqlRequest } from './helpers/graphql.client.js';
import {
  type BodyKind,
  ENDPOINTS,
  getUrl,
  postFields,
  postImages,
  TINY_JPEG,
  TINY_PNG,
  trackingFields,
} from './helpers/http.client.js';
import { listFiles, readUploadedFile, storedState } from './helpers/ingest.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const BODY_KINDS: readonly BodyKind[] = ['json', 'form', 'multipart'];

/** The legacy folder layout, relative to UPLOAD_DIR. Groups: id, yyyy, MM, dd, HH, mm (folder), mm, ss, ext. */
const LEGACY_IMAGE_PATH =
  /^ambulance_images\/([A-Za-z0-9_-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})_(\d{2})\/(\d{2})_(\d{2})_\d{4}\.(png|jpg)$/;

const pad = (value: number) => String(value).padStart(2, '0');

describe('legacy ingest endpoints', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ events: 'local' });
  });
  after(async () => {
    await app.close();
  });

  const trackingUrl = () => `${app.url}${ENDPOINTS.tracking}`;
  const crashUrl = () => `${app.url}${ENDPOINTS.crash}`;

  /** The newest stored point of an ambulance (ObjectIds made in one process sort in creation order). */
  async function newestPoint(ambulanceId: string): Promise<TrackingDoc> {
    const doc = await app.app.models.collections.trackings.findOne(
      { ambulance_id: ambulanceId },
      { sort: { _id: -1 } },
    );
    assert.ok(doc, `no point stored for ${ambulanceId}`);
    return doc;
  }

  async function postTracking(fields: Record<string, unknown>, kind: BodyKind = 'json'): Promise<TrackingDoc> {
    const response = await postFields(trackingUrl(), fields, kind);
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.body, { success: true });
    return newestPoint(String(fields.ambulance_id));
  }

  describe('legacy pages', () => {
    it('GET / answers the legacy HTML page', async () => {
      const response = await getUrl(`${app.url}/`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /text\/html/);
      assert.ok(response.text.includes('AOC-V.2 Tracking Server On'), response.text);
    });

    it('GET /error_codes answers exactly {"500":"Error on server."}', async () => {
      const response = await getUrl(`${app.url}/error_codes`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /application\/json/);
      assert.deepEqual(response.body, { 500: 'Error on server.' });
      assert.equal(response.text, '{"500":"Error on server."}');
    });
  });

  describe('POST /api/tracking/postAmbulanceTracking', () => {
    for (const kind of BODY_KINDS) {
      it(`stores a point in the legacy shape from a ${kind} body`, async () => {
        const ambulanceId = `t-${kind}`;
        const before = Date.now();
        const doc = await postTracking(
          {
            ambulance_id: ambulanceId,
            tracking_latitude: 12.971599,
            tracking_longitude: 77.594566,
            tracking_speed: 42.5,
            tracking_heading: 270.25,
          },
          kind,
        );
        assert.equal(doc.ambulance_id, ambulanceId);
        assert.equal(typeof doc.ambulance_id, 'string');
        assert.deepEqual(doc.location, { lat: 12.971599, lon: 77.594566 });
        assert.equal(doc.speed, 42.5);
        assert.equal(doc.heading, 270.25);
        assert.ok(doc.count_datetime instanceof Date, 'count_datetime is a Date');
        assert.ok(doc.count_datetime.getTime() >= before - 1000 && doc.count_datetime.getTime() <= Date.now() + 1000);
        assert.equal(doc.state, 'GREEN');
        assert.equal(doc.speed_above_80, undefined);
        assert.equal(doc.speed_above_120, undefined);
        assert.ok(doc._id instanceof Types.ObjectId);
      });
    }

    it('stores ambulance_id "332" as the string devices send (JSON string, JSON number and form)', async () => {
      const fromString = await postTracking(trackingFields('332', 10));
      assert.equal(fromString.ambulance_id, '332');
      const count = await app.app.models.collections.trackings.countDocuments({ ambulance_id: '332' });
      const response = await postFields(trackingUrl(), trackingFields('332', 11, { ambulance_id: 332 }));
      assert.equal(response.status, 200, response.text);
      await postTracking(trackingFields('332', 12), 'form');
      assert.equal(await app.app.models.collections.trackings.countDocuments({ ambulance_id: '332' }), count + 2);
      assert.equal(await app.app.models.collections.trackings.countDocuments({ ambulance_id: 332 as never }), 0);
    });

    it('accepts numbers sent as strings in JSON', async () => {
      const doc = await postTracking({
        ambulance_id: 'strnum',
        tracking_latitude: '-33.8688',
        tracking_longitude: '151.2093',
        tracking_speed: '85.5',
        tracking_heading: '0',
      });
      assert.deepEqual(doc.location, { lat: -33.8688, lon: 151.2093 });
      assert.equal(doc.speed, 85.5);
      assert.equal(doc.heading, 0);
      assert.equal(doc.state, 'ORANGE');
    });

    it('accepts the edges of every range: lat ±90, lon ±180, heading 0 and 360, speed 0', async () => {
      const first = await postTracking({
        ambulance_id: 'edges',
        tracking_latitude: 90,
        tracking_longitude: -180,
        tracking_speed: 0,
        tracking_heading: 0,
      });
      assert.deepEqual(first.location, { lat: 90, lon: -180 });
      assert.equal(first.heading, 0);
      const second = await postTracking(
        {
          ambulance_id: 'edges',
          tracking_latitude: '-90',
          tracking_longitude: '180',
          tracking_speed: '0',
          tracking_heading: '360',
        },
        'form',
      );
      assert.deepEqual(second.location, { lat: -90, lon: 180 });
      assert.equal(second.heading, 360);
      assert.equal(second.speed, 0);
    });

    const boundaries: Array<[number, string]> = [
      [0, 'GREEN'],
      [80, 'GREEN'],
      [80.01, 'ORANGE'],
      [120, 'ORANGE'],
      [120.01, 'RED'],
    ];
    for (const kind of BODY_KINDS) {
      it(`applies the speed rule at its boundaries (${kind} body)`, async () => {
        for (const [speed, state] of boundaries) {
          const ambulanceId = `b-${kind}-${String(speed).replace('.', '_')}`;
          const doc = await postTracking(trackingFields(ambulanceId, speed), kind);
          assert.equal(doc.speed, speed, `${kind} ${speed}`);
          assert.equal(doc.state, state, `${kind} ${speed} km/h`);
          if (state === 'GREEN') {
            assert.equal(doc.speeding_episode_id, undefined);
            assert.equal(doc.speed_above_80, undefined);
          } else {
            assert.ok(doc.speeding_episode_id instanceof Types.ObjectId, `${speed} opens an episode`);
            assert.deepEqual(doc.speed_above_80, doc.speeding_episode_id);
          }
          if (state === 'RED') assert.deepEqual(doc.speed_above_120, doc.speeding_episode_id);
          else assert.equal(doc.speed_above_120, undefined);
        }
      });
    }

    it('groups consecutive ORANGE/RED points into one speeding episode; GREEN ends it', async () => {
      const ambulanceId = 'episodes';
      const speeds = [50, 90, 130, 100, 60, 85, 125, 81];
      const docs: TrackingDoc[] = [];
      for (const [index, speed] of speeds.entries()) {
        docs.push(await postTracking(trackingFields(ambulanceId, speed), index % 2 === 0 ? 'json' : 'form'));
      }
      assert.deepEqual(
        docs.map((doc) => doc.state),
        ['GREEN', 'ORANGE', 'RED', 'ORANGE', 'GREEN', 'ORANGE', 'RED', 'ORANGE'],
      );
      const [g1, o1, r1, o2, g2, o3, r2, o4] = docs as [
        TrackingDoc,
        TrackingDoc,
        TrackingDoc,
        TrackingDoc,
        TrackingDoc,
        TrackingDoc,
        TrackingDoc,
        TrackingDoc,
      ];
      for (const green of [g1, g2]) {
        assert.equal(green.speeding_episode_id, undefined);
        assert.equal(green.speed_above_80, undefined);
        assert.equal(green.speed_above_120, undefined);
      }
      const first = o1.speeding_episode_id;
      const second = o3.speeding_episode_id;
      assert.ok(first instanceof Types.ObjectId);
      assert.ok(second instanceof Types.ObjectId);
      assert.notEqual(first.toHexString(), second.toHexString(), 'the ORANGE after GREEN opens a new episode');
      for (const point of [o1, r1, o2]) {
        assert.equal(point.speeding_episode_id?.toHexString(), first.toHexString());
        assert.equal(point.speed_above_80?.toHexString(), first.toHexString());
      }
      for (const point of [o3, r2, o4]) {
        assert.equal(point.speeding_episode_id?.toHexString(), second.toHexString());
        assert.equal(point.speed_above_80?.toHexString(), second.toHexString());
      }
      assert.equal(r1.speed_above_120?.toHexString(), first.toHexString());
      assert.equal(r2.speed_above_120?.toHexString(), second.toHexString());
      for (const orange of [o1, o2, o3, o4]) assert.equal(orange.speed_above_120, undefined);

      await app.app.trackingWriter.drained();
      const episodes = app.app.models.collections.speedingEpisodes;
      const episodeA = await episodes.findOne({ _id: first });
      const episodeB = await episodes.findOne({ _id: second });
      assert.ok(episodeA && episodeB);
      assert.equal(episodeA.ambulance_id, ambulanceId);
      assert.equal(episodeA.point_count, 3);
      assert.equal(episodeA.max_speed, 130);
      assert.equal(episodeA.max_state, 'RED');
      assert.equal(episodeA.started_at.getTime(), o1.count_datetime.getTime());
      assert.equal(episodeA.ended_at.getTime(), o2.count_datetime.getTime());
      assert.equal(episodeB.point_count, 3);
      assert.equal(episodeB.max_speed, 125);
      assert.equal(episodeB.max_state, 'RED');
      assert.equal(episodeB.started_at.getTime(), o3.count_datetime.getTime());
      assert.equal(episodeB.ended_at.getTime(), o4.count_datetime.getTime());
      assert.equal(await episodes.countDocuments({ ambulance_id: ambulanceId }), 2);

      await app.app.trackingWriter.drained();
      const ambulance = await app.app.models.collections.ambulances.findOne({ _id: ambulanceId });
      assert.equal(ambulance?.last_position?.speeding_episode_id?.toHexString(), second.toHexString());
    });

    it('keeps max_state ORANGE for an episode that never went above 120', async () => {
      const ambulanceId = 'orange-only';
      const a = await postTracking(trackingFields(ambulanceId, 95));
      const b = await postTracking(trackingFields(ambulanceId, 110), 'form');
      const c = await postTracking(trackingFields(ambulanceId, 120), 'multipart');
      assert.ok(a.speeding_episode_id);
      assert.equal(b.speeding_episode_id?.toHexString(), a.speeding_episode_id.toHexString());
      assert.equal(c.speeding_episode_id?.toHexString(), a.speeding_episode_id.toHexString());
      await app.app.trackingWriter.drained();
      const episode = await app.app.models.collections.speedingEpisodes.findOne({ _id: a.speeding_episode_id });
      assert.equal(episode?.point_count, 3);
      assert.equal(episode?.max_speed, 120);
      assert.equal(episode?.max_state, 'ORANGE');
      const green = await postTracking(trackingFields(ambulanceId, 30));
      assert.equal(green.speeding_episode_id, undefined);
      await app.app.trackingWriter.drained();
      const ambulance = await app.app.models.collections.ambulances.findOne({ _id: ambulanceId });
      assert.equal(ambulance?.last_position?.speeding_episode_id ?? null, null);
    });

    it('keeps the fleet document _id "332" with last_position equal to the newest point', async () => {
      await postTracking(trackingFields('332', 70));
      const newest = await postTracking(trackingFields('332', 99, { tracking_heading: 181.5 }), 'form');
      await app.app.trackingWriter.drained();
      const ambulance = await app.app.models.collections.ambulances.findOne({ _id: '332' });
      assert.ok(ambulance, 'ambulances has a document with _id "332"');
      assert.equal(ambulance._id, '332');
      assert.ok(ambulance.last_position);
      assert.equal(ambulance.last_position.tracking_id.toHexString(), newest._id.toHexString());
      assert.deepEqual(ambulance.last_position.location, newest.location);
      assert.equal(ambulance.last_position.speed, 99);
      assert.equal(ambulance.last_position.heading, 181.5);
      assert.equal(ambulance.last_position.state, 'ORANGE');
      assert.equal(ambulance.last_position.count_datetime.getTime(), newest.count_datetime.getTime());
      assert.equal(
        ambulance.last_position.speeding_episode_id?.toHexString(),
        newest.speeding_episode_id?.toHexString(),
      );
      assert.equal(await app.app.models.collections.ambulances.countDocuments({ _id: '332' }), 1);
    });
  });

  describe('POST /api/crash/postAmbulanceCrashNotify', () => {
    async function postCrash(fields: Record<string, unknown>, kind: BodyKind = 'json') {
      const response = await postFields(crashUrl(), fields, kind);
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body, { success: true });
      const doc = await app.app.models.collections.crashes.findOne(
        { ambulance_id: String(fields.ambulance_id) },
        { sort: { _id: -1 } },
      );
      assert.ok(doc, 'crash stored');
      return doc;
    }

    for (const kind of BODY_KINDS) {
      it(`stores a crash in the legacy shape, speed m/s x 3.6 (${kind} body)`, async () => {
        const ambulanceId = `c-${kind}`;
        const doc = await postCrash(
          {
            ambulance_id: ambulanceId,
            tracking_latitude: 28.6139,
            tracking_longitude: 77.209,
            tracking_speed: 30,
            tracking_heading: 45,
          },
          kind,
        );
        assert.equal(doc.ambulance_id, ambulanceId);
        assert.deepEqual(doc.location, { lat: 28.6139, lon: 77.209 });
        assert.equal(doc.speed, 108);
        assert.equal(doc.state, 'ORANGE');
        assert.equal(Number(doc.heading), 45);
        assert.ok(doc.count_datetime instanceof Date);
        assert.deepEqual(doc.location_detail, { address: null, image: null });
        await app.app.trackingWriter.drained();
        const ambulance = await app.app.models.collections.ambulances.findOne({ _id: ambulanceId });
        assert.ok(ambulance?.last_crash_at instanceof Date);
      });
    }

    const conversions: Array<[string | number, number, string]> = [
      [0, 0, 'GREEN'],
      ['22.2222', 79.99992, 'GREEN'],
      ['22.22222222', 80, 'GREEN'],
      ['22.2223', 80.00028, 'ORANGE'],
      [33.33333333, 120, 'ORANGE'],
      ['33.3334', 120.00024, 'RED'],
      [50, 180, 'RED'],
    ];
    for (const [metresPerSecond, kmh, state] of conversions) {
      it(`converts ${metresPerSecond} m/s to ${kmh} km/h, ${state}, with the one speed rule`, async () => {
        const doc = await postCrash(
          trackingFields(`conv-${String(metresPerSecond).replace('.', '_')}`, 0, { tracking_speed: metresPerSecond }),
        );
        assert.ok(typeof doc.speed === 'number');
        assert.ok(Math.abs(doc.speed - kmh) < 1e-9, `stored ${doc.speed}, expected ${kmh}`);
        assert.equal(doc.state, state);
        assert.equal(doc.state, speedStateOf(doc.speed));
      });
    }

    it('suppresses a repeat from the same ambulance within the window, not one from another ambulance', async () => {
      const crashes = app.app.models.collections.crashes;
      // A repeat is the same crash notified again: the same reading (place, speed, heading), in any body format.
      const place = { tracking_latitude: 45.5, tracking_longitude: -73.6 };
      await postCrash(trackingFields('dup-a', 10, place));
      const total = await crashes.countDocuments({});
      const repeat = await postFields(crashUrl(), trackingFields('dup-a', 10, place), 'form');
      assert.equal(repeat.status, 200, repeat.text);
      assert.deepEqual(repeat.body, { success: true, duplicate: true });
      assert.equal(await crashes.countDocuments({ ambulance_id: 'dup-a' }), 1);
      assert.equal(await crashes.countDocuments({}), total);

      const other = await postFields(crashUrl(), trackingFields('dup-b', 10));
      assert.equal(other.status, 200, other.text);
      assert.deepEqual(other.body, { success: true });
      assert.equal(await crashes.countDocuments({ ambulance_id: 'dup-b' }), 1);
      assert.equal(await crashes.countDocuments({}), total + 1);
    });

    it('stores every crash when CRASH_DUPLICATE_WINDOW_SECONDS is 0', async () => {
      const noWindow = await startTestApp({ events: 'local', env: { CRASH_DUPLICATE_WINDOW_SECONDS: '0' } });
      try {
        for (const kind of ['json', 'form'] as const) {
          const response = await postFields(`${noWindow.url}${ENDPOINTS.crash}`, trackingFields('332', 5), kind);
          assert.equal(response.status, 200, response.text);
          assert.deepEqual(response.body, { success: true });
        }
        assert.equal(await noWindow.app.models.collections.crashes.countDocuments({ ambulance_id: '332' }), 2);
      } finally {
        await noWindow.close();
      }
    });

    it('builds the Google static map URL for the crash location when GOOGLE_MAP_KEY is set', async () => {
      const withKey = await startTestApp({ events: 'local', env: { GOOGLE_MAP_KEY: 'test-map-key-123' } });
      try {
        const response = await postFields(
          `${withKey.url}${ENDPOINTS.crash}`,
          trackingFields('332', 20, { tracking_latitude: '12.9716', tracking_longitude: '-77.5946' }),
          'form',
        );
        assert.equal(response.status, 200, response.text);
        const doc = await withKey.app.models.collections.crashes.findOne({ ambulance_id: '332' });
        const image = doc?.location_detail?.image;
        assert.ok(typeof image === 'string', 'location_detail.image is a URL');
        const url = new URL(image);
        assert.equal(url.protocol, 'https:');
        assert.equal(url.hostname, 'maps.googleapis.com');
        assert.equal(url.pathname, '/maps/api/staticmap');
        assert.equal(url.searchParams.get('key'), 'test-map-key-123');
        assert.equal(url.searchParams.get('center'), '12.9716,-77.5946');
        assert.ok(url.searchParams.get('markers')?.includes('12.9716,-77.5946'));
        assert.ok(decodeURIComponent(image).includes('12.9716,-77.5946'));
      } finally {
        await withKey.close();
      }
    });

    it('leaves location_detail.image null without GOOGLE_MAP_KEY', async () => {
      const doc = await postCrash(trackingFields('no-key', 5));
      assert.equal(doc.location_detail?.image, null);
      assert.equal(app.config.GOOGLE_MAP_KEY, undefined);
    });
  });

  describe('POST /api/snapshot/postAmbulanceImageUpload', () => {
    const PNG_B = Buffer.concat([TINY_PNG, Buffer.from('second png')]);

    interface SnapshotNode {
      id: string;
      ambulanceId: string;
      images: Array<{ name: string; url: string }>;
    }

    async function snapshotsOf(ambulanceId: string): Promise<SnapshotNode[]> {
      const result = await graphqlRequest<{ snapshots: { edges: Array<{ node: SnapshotNode }> } }>(
        app.graphqlUrl,
        'query($id: ID!) { snapshots(ambulanceId: $id) { edges { node { id ambulanceId images { name url } } } } }',
        { id: ambulanceId },
      );
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      return result.data?.snapshots.edges.map((edge) => edge.node) ?? [];
    }

    async function checkUpload(ambulanceId: string, files: Array<{ field: string; data: Buffer; ext: string }>) {
      const filesBefore = await listFiles(app.uploadDir);
      const response = await postImages(
        app.url,
        ambulanceId,
        files.map((file) => ({
          field: file.field,
          data: file.data,
          name: `camera.${file.ext}`,
          type: file.ext === 'jpg' ? 'image/jpeg' : 'image/png',
        })),
      );
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body, { success: true });

      const records = await app.app.models.collections.imageRecords
        .find({ ambulance_id: ambulanceId })
        .sort({ _id: -1 })
        .toArray();
      const record = records[0];
      assert.ok(record, 'ambulance_images record stored');
      assert.deepEqual(
        Object.keys(record.images),
        files.map((_, index) => `image${index}`),
      );
      assert.ok(record.createdAt instanceof Date);
      assert.ok(record.ambulance_image_histories_id instanceof Types.ObjectId);
      const history = await app.app.models.collections.imageHistories.findOne({
        _id: record.ambulance_image_histories_id,
      });
      assert.ok(history, 'ambulance_image_histories record linked from ambulance_images');
      assert.equal(history.ambulance_id, ambulanceId);
      assert.deepEqual(history.images, record.images);
      assert.equal(history.createdAt.getTime(), record.createdAt.getTime());

      const at = record.createdAt;
      const newFiles = (await listFiles(app.uploadDir)).filter((file) => !filesBefore.includes(file));
      assert.equal(newFiles.length, files.length, `new files: ${newFiles.join(', ')}`);
      for (const [index, file] of files.entries()) {
        const storedPath: string = record.images[`image${index}`] ?? '';
        assert.ok(storedPath.startsWith('uploads/'), `legacy record path: ${storedPath}`);
        const relative: string = storedPath.slice('uploads/'.length);
        const match = LEGACY_IMAGE_PATH.exec(relative);
        assert.ok(match, `legacy layout: ${relative}`);
        const [, id, year, month, day, hour, folderMinute, minute, second, ext] = match;
        assert.equal(id, ambulanceId);
        assert.equal(year, String(at.getUTCFullYear()));
        assert.equal(month, pad(at.getUTCMonth() + 1));
        assert.equal(day, pad(at.getUTCDate()));
        assert.equal(hour, pad(at.getUTCHours()));
        assert.equal(folderMinute, pad(at.getUTCMinutes()));
        assert.equal(minute, folderMinute);
        assert.equal(second, pad(at.getUTCSeconds()));
        assert.equal(ext, file.ext);
        assert.ok(newFiles.includes(relative), `${relative} is on disk`);
        assert.deepEqual(await readUploadedFile(app, relative), file.data, 'bytes on disk match the upload');
      }

      const snapshot = (await snapshotsOf(ambulanceId)).find((node) => node.id === record._id.toHexString());
      assert.ok(snapshot, 'the GraphQL snapshot lists the upload');
      assert.equal(snapshot.ambulanceId, ambulanceId);
      assert.deepEqual(
        snapshot.images.map((image) => image.name),
        files.map((_, index) => `image${index}`),
      );
      for (const [index, image] of snapshot.images.entries()) {
        assert.match(image.url, /^\/uploads\/ambulance_images\//);
        const served = await fetch(`${app.url}${image.url}`);
        assert.equal(served.status, 200, image.url);
        assert.deepEqual(Buffer.from(await served.arrayBuffer()), files[index]?.data);
      }
      return record;
    }

    for (const field of ['file', 'image', 'photo[]', 'xyz']) {
      it(`stores an image sent under the field name "${field}"`, async () => {
        await checkUpload(`snap-${field.replace(/\W/g, '')}`, [{ field, data: TINY_PNG, ext: 'png' }]);
      });
    }

    it('stores several files of one request as image0, image1, image2 in upload order', async () => {
      await checkUpload('332', [
        { field: 'file', data: TINY_JPEG, ext: 'jpg' },
        { field: 'photo[]', data: TINY_PNG, ext: 'png' },
        { field: 'photo[]', data: PNG_B, ext: 'png' },
      ]);
      await app.app.trackingWriter.drained();
      const ambulance = await app.app.models.collections.ambulances.findOne({ _id: '332' });
      assert.ok(ambulance, 'the fleet document exists');
    });

    it('keeps earlier uploads: a second upload adds a second record and history', async () => {
      const first = await checkUpload('twice', [{ field: 'file', data: TINY_PNG, ext: 'png' }]);
      const second = await checkUpload('twice', [{ field: 'file', data: TINY_JPEG, ext: 'jpg' }]);
      assert.notEqual(first._id.toHexString(), second._id.toHexString());
      assert.equal(await app.app.models.collections.imageRecords.countDocuments({ ambulance_id: 'twice' }), 2);
      assert.equal(await app.app.models.collections.imageHistories.countDocuments({ ambulance_id: 'twice' }), 2);
      assert.equal((await snapshotsOf('twice')).length, 2);
    });

    it('counts what the endpoints stored in every collection', async () => {
      const state = await storedState(app);
      assert.ok(state.trackings > 0 && state.crashes > 0 && state.imageRecords > 0);
      assert.equal(state.imageRecords, state.imageHistories);
      assert.equal(state.files.filter((file) => !LEGACY_IMAGE_PATH.test(file)).length, 0, state.files.join('\n'));
    });
  });
});

describe('legacy route matching', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ events: 'local' });
  });
  after(async () => {
    await app.close();
  });

  it('accepts the device paths as the legacy Express server did: any letter case, with or without a trailing slash', async () => {
    for (const path of [
      '/api/tracking/postAmbulanceTracking/',
      '/API/Tracking/PostAmbulanceTracking',
      '/api/tracking/postambulancetracking?firmware=2',
    ]) {
      const response = await postFields(`${app.url}${path}`, trackingFields('RM1', 10));
      assert.equal(response.status, 200, `${path}: ${response.text}`);
    }
    assert.equal(await app.app.models.collections.trackings.countDocuments({ ambulance_id: 'RM1' }), 3);
    assert.equal(
      (await postFields(`${app.url}/api/tracking/postAmbulanceTrackingX`, trackingFields('RM1'))).status,
      404,
    );
  });
});

describe('fleet document position', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ events: 'local' });
  });
  after(async () => {
    await app.close();
  });

  it('never moves an ambulance back to an older position than the one it holds', async () => {
    const ambulances = app.app.models.collections.ambulances;
    assert.equal((await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields('MONO', 40))).status, 200);
    await app.app.trackingWriter.drained();
    const current = await ambulances.findOne({ _id: 'MONO' });
    assert.ok(current?.last_position);
    // Another instance has already projected a newer point than the next one this instance will project.
    const future = new Date(Date.now() + 3_600_000);
    await ambulances.updateOne({ _id: 'MONO' }, { $set: { 'last_position.count_datetime': future } });

    assert.equal((await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields('MONO', 77))).status, 200);
    await app.app.trackingWriter.drained();
    const after = await ambulances.findOne({ _id: 'MONO' });
    assert.equal(after?.last_position?.count_datetime.getTime(), future.getTime());
    assert.equal(after?.last_position?.speed, 40);

    await ambulances.updateOne({ _id: 'MONO' }, { $set: { 'last_position.count_datetime': new Date(0) } });
    assert.equal((await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields('MONO', 88))).status, 200);
    await app.app.trackingWriter.drained();
    assert.equal((await ambulances.findOne({ _id: 'MONO' }))?.last_position?.speed, 88, 'a newer point still moves it');
    assert.equal(await ambulances.countDocuments({ _id: 'MONO' }), 1);
  });

  it('serves stored images with nosniff, so a browser never runs one as another type', async () => {
    assert.equal((await postImages(app.url, 'NOSNIFF', [{ field: 'f', data: TINY_PNG }])).status, 200);
    const record = await app.app.models.collections.imageRecords.findOne({ ambulance_id: 'NOSNIFF' });
    const path = String(record?.images.image0).replace(/^uploads\//, '');
    const response = await fetch(`${app.url}/uploads/${path}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  });
});

describe('speeding episodes across a restart', () => {
  it('takes the current episode from the stored points, not from fleet documents that lag behind them', async () => {
    const first = await startTestApp({ events: 'local' });
    const database = first.database;
    const post = async (app: TestApp, speed: number) => {
      const response = await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields('RS1', speed));
      assert.equal(response.status, 200, response.text);
    };
    let second: TestApp | undefined;
    try {
      await post(first, 95);
      await post(first, 40);
      await first.app.trackingWriter.drained();
      const [orange] = await first.app.models.collections.trackings
        .find({ ambulance_id: 'RS1', state: 'ORANGE' })
        .toArray();
      const oldEpisode = orange?.speeding_episode_id;
      assert.ok(oldEpisode);
      // The process stopped before projecting the GREEN point: the fleet document still names the episode.
      await first.app.models.collections.ambulances.updateOne(
        { _id: 'RS1' },
        { $set: { 'last_position.speeding_episode_id': oldEpisode } },
      );
      await first.close();

      second = await startTestApp({ events: 'local', database });
      await post(second, 100);
      await post(second, 130);
      await second.app.trackingWriter.drained();
      const points = await second.app.models.collections.trackings
        .find({ ambulance_id: 'RS1' }, { sort: { count_datetime: 1, _id: 1 } })
        .toArray();
      const [, , third, fourth] = points;
      assert.ok(third?.speeding_episode_id && fourth?.speeding_episode_id);
      assert.notEqual(third.speeding_episode_id.toHexString(), oldEpisode.toHexString(), 'a GREEN point ended it');
      assert.equal(fourth.speeding_episode_id.toHexString(), third.speeding_episode_id.toHexString());
      const episode = await second.app.models.collections.speedingEpisodes.findOne({ _id: third.speeding_episode_id });
      assert.equal(episode?.point_count, 2);
      assert.equal(episode?.max_state, 'RED');
    } finally {
      await second?.close();
    }
  });

  it('continues an episode the stored points show as open, even when its summary was never written', async () => {
    const first = await startTestApp({ events: 'local' });
    const database = first.database;
    let second: TestApp | undefined;
    try {
      assert.equal((await postFields(`${first.url}${ENDPOINTS.tracking}`, trackingFields('RS2', 90))).status, 200);
      await first.app.trackingWriter.drained();
      const [point] = await first.app.models.collections.trackings.find({ ambulance_id: 'RS2' }).toArray();
      const episodeId = point?.speeding_episode_id;
      assert.ok(episodeId);
      // The process stopped before the episode summary was written.
      await first.app.models.collections.speedingEpisodes.deleteOne({ _id: episodeId });
      await first.close();

      second = await startTestApp({ events: 'local', database });
      assert.equal((await postFields(`${second.url}${ENDPOINTS.tracking}`, trackingFields('RS2', 125))).status, 200);
      await second.app.trackingWriter.drained();
      const [, next] = await second.app.models.collections.trackings
        .find({ ambulance_id: 'RS2' }, { sort: { count_datetime: 1, _id: 1 } })
        .toArray();
      assert.equal(next?.speeding_episode_id?.toHexString(), episodeId.toHexString());
      const episode = await second.app.models.collections.speedingEpisodes.findOne({ _id: episodeId });
      assert.equal(episode?.point_count, 2);
      assert.equal(episode?.max_speed, 125);
      assert.equal(episode?.max_state, 'RED');
    } finally {
      await second?.close();
    }
  });
});
