import assert from 'node:assert/strict';
import type { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import * as ws from 'ws';
import { textFrame } from './ws.text-frame.js';

/** ws's frame parser: exported by ws, not declared by its types. */
const { Receiver } = ws as unknown as {
  Receiver: new (options: { isServer: boolean; maxPayload: number }) => Writable;
};

/** What a WebSocket client makes of the frames (ws's own parser, on the client side: frames unmasked). */
function received(frames: readonly Buffer[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const receiver = new Receiver({ isServer: false, maxPayload: 0 });
    const messages: string[] = [];
    receiver.on('message', (data: Buffer, isBinary: boolean) => {
      assert.equal(isBinary, false, 'a text message');
      messages.push(data.toString('utf8'));
      if (messages.length === frames.length) resolve(messages);
    });
    receiver.on('error', reject);
    for (const frame of frames) receiver.write(frame);
  });
}

describe('text frames', () => {
  it('hold their parts in order, as a client reads them, at every length encoding', async () => {
    const texts = ['', 'x'.repeat(125), 'y'.repeat(126), 'z'.repeat(65_535), 'w'.repeat(65_536), 'é€😀'.repeat(30_000)];
    const frames = texts.map((text) => {
      const bytes = Buffer.from(text);
      const cut = Math.floor(bytes.length / 3);
      return textFrame([bytes.subarray(0, cut), bytes.subarray(cut, 2 * cut), bytes.subarray(2 * cut)]);
    });
    assert.deepEqual(await received(frames), texts);
  });

  it('use the shortest header for the length', () => {
    assert.equal(textFrame([Buffer.alloc(125)]).length, 127);
    assert.equal(textFrame([Buffer.alloc(126)]).length, 130);
    assert.equal(textFrame([Buffer.alloc(65_536)]).length, 65_546);
  });
});
