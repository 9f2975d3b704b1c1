import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DeviceKeys } from './device-keys.js';

describe('DeviceKeys', () => {
  it('matches each device only with its own key', () => {
    const keys = DeviceKeys.fromEntries(['332:key-of-332-0123456789', '333:key:with:colons-0123']);
    assert.equal(keys.size, 2);
    assert.equal(keys.matches('332', 'key-of-332-0123456789'), true);
    assert.equal(keys.matches('333', 'key:with:colons-0123'), true);
    assert.equal(keys.matches('332', 'key:with:colons-0123'), false);
    assert.equal(keys.matches('332', 'key-of-332-012345678'), false);
    assert.equal(keys.matches('332', ''), false);
    assert.equal(keys.matches('999', 'key-of-332-0123456789'), false);
  });

  it('refuses malformed entries, short keys and repeated ids, naming the entry', () => {
    assert.throws(() => DeviceKeys.fromEntries(['332:short']), /entry 1 is not/);
    assert.throws(() => DeviceKeys.fromEntries(['332:key-of-332-0123456789', 'no-colon']), /entry 2 is not/);
    assert.throws(() => DeviceKeys.fromEntries(['../x:key-of-332-0123456789']), /entry 1/);
    assert.throws(
      () => DeviceKeys.fromEntries(['332:key-of-332-0123456789', '332:another-key-0123456789']),
      /ambulance 332 twice/,
    );
  });

  it('loads a file of id:key lines with comments and blank lines, plus inline entries', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'device-keys-'));
    try {
      const file = path.join(directory, 'keys');
      await writeFile(file, '# fleet keys\n\n332:file-key-0123456789abc\r\n  333:file-key-for-333-xyz  \n');
      const keys = await DeviceKeys.load(['334:inline-key-0123456789'], file);
      assert.equal(keys.size, 3);
      assert.equal(keys.matches('332', 'file-key-0123456789abc'), true);
      assert.equal(keys.matches('333', 'file-key-for-333-xyz'), true);
      assert.equal(keys.matches('334', 'inline-key-0123456789'), true);
      await assert.rejects(DeviceKeys.load([], path.join(directory, 'missing')), /cannot be read \(ENOENT\)/);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
