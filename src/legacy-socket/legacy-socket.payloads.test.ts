import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UploadUrlSigner } from '../uploads/upload-url.signer.js';
import { legacyCrashPayload, legacySnapshotPayload, legacyTrackingPayload } from './legacy-socket.payloads.js';

describe('legacy payloads', () => {
  it('a tracking event becomes the legacy request body', () => {
    const payload = legacyTrackingPayload({
      id: 'a'.repeat(24),
      ambulanceId: '332',
      latitude: 45.5,
      longitude: -73.6,
      speed: 95,
      heading: 180,
      state: 'ORANGE',
      recordedAt: '2024-05-01T10:00:00.000Z',
      speedingEpisodeId: null,
      deviceTime: null,
    });
    assert.deepEqual(payload, {
      ambulance_id: '332',
      tracking_latitude: 45.5,
      tracking_longitude: -73.6,
      tracking_speed: 95,
      tracking_heading: 180,
    });
  });

  it('a crash event becomes the stored crash document: heading a string, empty address and image when unknown', () => {
    const event = {
      id: 'b'.repeat(24),
      ambulanceId: '332',
      latitude: 1,
      longitude: 2,
      speed: 108,
      heading: 90.5,
      state: 'ORANGE' as const,
      recordedAt: '2024-05-01T10:00:00.000Z',
      mapImageUrl: null,
    };
    assert.deepEqual(legacyCrashPayload(event), {
      _id: 'b'.repeat(24),
      ambulance_id: '332',
      location: { lat: 1, lon: 2 },
      speed: 108,
      heading: '90.5',
      count_datetime: '2024-05-01T10:00:00.000Z',
      state: 'ORANGE',
      location_detail: { address: '', image: '' },
    });
    assert.equal(legacyCrashPayload({ ...event, heading: null, mapImageUrl: 'https://m' }).heading, '');
    assert.equal(legacyCrashPayload({ ...event, mapImageUrl: 'https://m' }).location_detail.image, 'https://m');
  });

  it('a snapshot event becomes { body, imagesObj } with stored paths, signed when image URLs are', () => {
    const event = {
      id: 'c'.repeat(24),
      ambulanceId: '332',
      images: [
        { name: 'image0', url: '/uploads/ambulance_images/332/2024/05/01/10_00/00_01_0042.png' },
        { name: 'image1', url: '/uploads/ambulance_images/332/2024/05/01/10_00/00_01_0043.jpg' },
      ],
      createdAt: '2024-05-01T10:00:01.000Z',
    };
    assert.deepEqual(legacySnapshotPayload(event, null), {
      body: { ambulance_id: '332' },
      imagesObj: {
        image0: 'uploads/ambulance_images/332/2024/05/01/10_00/00_01_0042.png',
        image1: 'uploads/ambulance_images/332/2024/05/01/10_00/00_01_0043.jpg',
      },
    });
    const signer = new UploadUrlSigner('s'.repeat(40), 3600, () => 1_000_000);
    const signed = legacySnapshotPayload(event, (url) => signer.sign(url)).imagesObj.image0 ?? '';
    const [storedPath, query] = signed.split('?');
    assert.equal(storedPath, 'uploads/ambulance_images/332/2024/05/01/10_00/00_01_0042.png');
    const params = new URLSearchParams(query);
    const check = signer.check(
      `/${storedPath}`,
      params.get('expires') ?? undefined,
      params.get('signature') ?? undefined,
    );
    assert.equal(check.ok, true);
  });
});
