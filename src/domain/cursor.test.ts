import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCursor, decodeIdCursor, encodeCursor, encodeIdCursor } from './cursor.js';

const ID = '65a1f0c2b3d4e5f6a7b8c9d0';
const TIME = new Date('2024-03-05T10:20:30.456Z');
const raw = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('cursor', () => {
  it('round-trips time and id', () => {
    const decoded = decodeCursor(encodeCursor({ time: TIME, id: ID }));
    assert.ok(decoded);
    assert.equal(decoded.id, ID);
    assert.equal(decoded.time.getTime(), TIME.getTime());
  });

  it('keeps the time to the millisecond', () => {
    for (const ms of [0, 1, 999, 1_700_000_000_001, 1_700_000_000_999]) {
      const decoded = decodeCursor(encodeCursor({ time: new Date(ms), id: ID }));
      assert.equal(decoded?.time.getTime(), ms);
    }
  });

  it('round-trips times before 1970', () => {
    const time = new Date('1960-01-01T00:00:00.001Z');
    assert.equal(decodeCursor(encodeCursor({ time, id: ID }))?.time.getTime(), time.getTime());
  });

  it('is opaque: base64url only, without the raw id or time visible', () => {
    const cursor = encodeCursor({ time: TIME, id: ID });
    assert.match(cursor, /^[A-Za-z0-9_-]+$/);
    assert.ok(!cursor.includes(ID));
    assert.ok(!cursor.includes(String(TIME.getTime())));
    assert.ok(!cursor.includes(':'));
  });

  it('distinct positions give distinct cursors', () => {
    const a = encodeCursor({ time: TIME, id: ID });
    const b = encodeCursor({ time: new Date(TIME.getTime() + 1), id: ID });
    const c = encodeCursor({ time: TIME, id: `${ID.slice(0, -1)}1` });
    assert.equal(new Set([a, b, c]).size, 3);
  });

  it('rejects garbage', () => {
    for (const cursor of ['abc', 'hello-world', 'AAAA', 'null', raw('{"time":1,"id":"x"}')]) {
      assert.equal(decodeCursor(cursor), null, cursor);
    }
  });

  it('rejects the empty string and overlong input', () => {
    assert.equal(decodeCursor(''), null);
    assert.equal(decodeCursor(`${encodeCursor({ time: TIME, id: ID })}${'A'.repeat(200)}`), null);
    assert.equal(decodeCursor('A'.repeat(201)), null);
  });

  it('rejects tampered cursors', () => {
    const cursor = encodeCursor({ time: TIME, id: ID });
    // Trailing bytes after the id.
    assert.equal(decodeCursor(`${cursor}AAAA`), null);
    assert.equal(decodeCursor(raw(`v1:${TIME.getTime()}:${ID}x`)), null);
    // A truncated cursor loses part of the id.
    assert.equal(decodeCursor(cursor.slice(0, -4)), null);
    // Extra fields, missing fields, bad time.
    assert.equal(decodeCursor(raw(`v1:${TIME.getTime()}:${ID}:extra`)), null);
    assert.equal(decodeCursor(raw(`v1:${ID}`)), null);
    assert.equal(decodeCursor(raw(`v1::${ID}`)), null);
    assert.equal(decodeCursor(raw(`v1:12.5:${ID}`)), null);
    assert.equal(decodeCursor(raw(`v1:1e3:${ID}`)), null);
    assert.equal(decodeCursor(raw(` v1:${TIME.getTime()}:${ID}`)), null);
    assert.equal(decodeCursor(raw(`v1:${TIME.getTime()}:${ID}\n`)), null);
  });

  it('rejects a time outside the Date range', () => {
    assert.equal(decodeCursor(raw(`v1:9999999999999999:${ID}`)), null);
    assert.equal(decodeCursor(raw(`v1:12345678901234567:${ID}`)), null);
  });

  it('rejects a wrong version', () => {
    for (const version of ['v0', 'v2', 'V1', '1', '']) {
      assert.equal(decodeCursor(raw(`${version}:${TIME.getTime()}:${ID}`)), null, version);
    }
  });

  it('rejects ids that are not 24 lowercase hex digits', () => {
    const bad = ['zz'.repeat(12), ID.toUpperCase(), ID.slice(1), `${ID}0`, '332', '../../etc/passwd', '{"$ne":1}'];
    for (const id of bad) {
      assert.equal(decodeCursor(raw(`v1:${TIME.getTime()}:${id}`)), null, id);
      assert.equal(decodeCursor(encodeCursor({ time: TIME, id })), null, id);
    }
  });

  it('rejects invalid base64url', () => {
    const cursor = encodeCursor({ time: TIME, id: ID });
    const standard = Buffer.from(`v1:${TIME.getTime()}:${ID}`).toString('base64');
    assert.equal(decodeCursor(`${cursor}=`), null);
    assert.equal(decodeCursor(`${cursor.slice(0, 10)}+${cursor.slice(11)}`), null);
    assert.equal(decodeCursor(`${cursor.slice(0, 10)}/${cursor.slice(11)}`), null);
    assert.equal(decodeCursor(`${cursor} `), null);
    assert.equal(decodeCursor('!!!!'), null);
    if (/[+/=]/.test(standard)) assert.equal(decodeCursor(standard), null);
  });
});

describe('id cursor', () => {
  it('round-trips string and ObjectId ids, opaquely', () => {
    for (const position of [
      { id: '332', objectId: false },
      { id: 'A-10_b', objectId: false },
      { id: ID, objectId: false },
      { id: ID, objectId: true },
    ]) {
      const cursor = encodeIdCursor(position);
      assert.match(cursor, /^[A-Za-z0-9_-]+$/);
      assert.ok(!cursor.includes(position.id));
      assert.deepEqual(decodeIdCursor(cursor), position);
    }
  });

  it('rejects garbage, time cursors and tampered ids', () => {
    for (const cursor of [
      '',
      'abc',
      encodeCursor({ time: TIME, id: ID }),
      raw('id1:s:'),
      raw('id1:s:a/b'),
      raw(`id1:s:${'a'.repeat(65)}`),
      raw('id1:o:332'),
      raw(`id1:x:${ID}`),
      raw(`id2:s:332`),
      raw('id1:s:332\n'),
    ]) {
      assert.equal(decodeIdCursor(cursor), null, cursor);
    }
    assert.equal(decodeCursor(encodeIdCursor({ id: ID, objectId: true })), null);
  });
});

describe('item cursor (v2: log position)', () => {
  it('round-trips seq, time and id, opaquely and stably', () => {
    const cursor = encodeCursor({ time: TIME, id: ID, seq: 4711 });
    assert.match(cursor, /^[A-Za-z0-9_-]+$/);
    assert.ok(!cursor.includes(ID));
    assert.equal(cursor, encodeCursor({ time: TIME, id: ID, seq: 4711 }));
    assert.deepEqual(decodeCursor(cursor), { time: TIME, id: ID, seq: 4711 });
    assert.equal(decodeCursor(encodeCursor({ time: TIME, id: ID, seq: 0 }))?.seq, 0);
  });

  it('is a v1 cursor without seq, decoded with seq null', () => {
    const cursor = encodeCursor({ time: TIME, id: ID, seq: null });
    assert.equal(cursor, encodeCursor({ time: TIME, id: ID }));
    assert.deepEqual(decodeCursor(cursor), { time: TIME, id: ID, seq: null });
  });

  it('rejects tampered v2 cursors', () => {
    for (const text of [
      `v2:-1:${TIME.getTime()}:${ID}`,
      `v2:1.5:${TIME.getTime()}:${ID}`,
      `v2:9999999999999999:${TIME.getTime()}:${ID}`,
      `v2:7:${TIME.getTime()}`,
      `v2:7:${TIME.getTime()}:${ID}:`,
      `v2:7:${TIME.getTime()}:${ID.toUpperCase()}`,
      `v2:7:${TIME.getTime()}:${ID}:x`,
      `v2:7:9999999999999999:${ID}`,
      `v3:7:${TIME.getTime()}:${ID}`,
    ]) {
      assert.equal(decodeCursor(raw(text)), null, text);
    }
  });
});
