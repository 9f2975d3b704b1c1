import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageUrlOf } from './stored-record.read.js';

describe('imageUrlOf', () => {
  it('serves relative legacy paths under /uploads', () => {
    assert.equal(imageUrlOf('uploads/ambulance_images/332/image0.jpg'), '/uploads/ambulance_images/332/image0.jpg');
  });

  it('strips absolute legacy prefixes', () => {
    assert.equal(
      imageUrlOf('/var/www/legacy/uploads/ambulance_images/332/image0.jpg'),
      '/uploads/ambulance_images/332/image0.jpg',
    );
    assert.equal(imageUrlOf('/ambulance_images/332/a.png'), '/uploads/ambulance_images/332/a.png');
  });

  it('handles Windows backslashes', () => {
    assert.equal(
      imageUrlOf('C:\\legacy\\uploads\\ambulance_images\\332\\image1.jpg'),
      '/uploads/ambulance_images/332/image1.jpg',
    );
  });

  it('URL-encodes each path segment', () => {
    assert.equal(
      imageUrlOf('uploads/ambulance_images/332/my photo #1?.jpg'),
      '/uploads/ambulance_images/332/my%20photo%20%231%3F.jpg',
    );
    assert.equal(imageUrlOf('uploads/ambulance_images/332/é.jpg'), '/uploads/ambulance_images/332/%C3%A9.jpg');
  });

  it('keeps other relative paths under /uploads without leading slashes', () => {
    assert.equal(imageUrlOf('//snapshots/a.jpg'), '/uploads/snapshots/a.jpg');
    assert.equal(imageUrlOf('a.jpg'), '/uploads/a.jpg');
  });
});
