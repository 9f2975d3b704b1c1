import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sniffImage } from './image.sniff.js';

const bytes = (...parts: Array<string | number[]>) =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === 'string' ? [...Buffer.from(part, 'latin1')] : part)));

describe('sniffImage', () => {
  it('detects JPEG', () => {
    assert.deepEqual(sniffImage(bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF')), {
      mime: 'image/jpeg',
      extension: 'jpg',
    });
  });

  it('detects PNG', () => {
    assert.deepEqual(sniffImage(bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13], 'IHDR')), {
      mime: 'image/png',
      extension: 'png',
    });
  });

  it('detects GIF87a and GIF89a', () => {
    const gif = { mime: 'image/gif', extension: 'gif' };
    assert.deepEqual(sniffImage(bytes('GIF87a', [1, 0, 1, 0])), gif);
    assert.deepEqual(sniffImage(bytes('GIF89a', [1, 0, 1, 0])), gif);
  });

  it('detects WebP', () => {
    assert.deepEqual(sniffImage(bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 ')), { mime: 'image/webp', extension: 'webp' });
  });

  it('detects exactly-minimal headers', () => {
    assert.equal(sniffImage(bytes([0xff, 0xd8, 0xff]))?.mime, 'image/jpeg');
    assert.equal(sniffImage(bytes('RIFF', [0, 0, 0, 0], 'WEBP'))?.mime, 'image/webp');
  });

  const rejected: Array<[string, Uint8Array]> = [
    ['empty data', new Uint8Array()],
    ['plain text', bytes('hello, this is not an image')],
    ['truncated JPEG', bytes([0xff, 0xd8])],
    ['truncated PNG', bytes([0x89], 'PNG\r\n\x1a')],
    ['truncated GIF', bytes('GIF8')],
    ['truncated GIF version', bytes('GIF89')],
    ['GIF with an unknown version', bytes('GIF88a')],
    ['truncated RIFF', bytes('RIFF', [0, 0, 0, 0], 'WEB')],
    ['RIFF WAVE audio', bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ')],
    ['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg"></svg>')],
    ['SVG with an XML prolog', bytes('<?xml version="1.0"?><svg/>')],
    ['HTML', bytes('<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>')],
    ['PDF', bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')],
    ['JPEG magic not at the start', bytes([0x00, 0xff, 0xd8, 0xff])],
  ];
  for (const [name, data] of rejected) {
    it(`rejects ${name}`, () => {
      assert.equal(sniffImage(data), null);
    });
  }
});
