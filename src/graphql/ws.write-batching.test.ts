import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { MessageRate, SocketWriteBatcher, type WriteBatchingOptions, writeTimeOf } from './ws.write-batching.js';

describe('message rate', () => {
  it('counts a burst at once and forgets it after a quiet window', () => {
    const rate = new MessageRate(0);
    let perSecond = 0;
    for (let i = 0; i < 100; i += 1) perSecond = rate.add(10);
    assert.equal(perSecond, 400, '100 messages in the current 250-ms window');
    assert.equal(rate.add(260), 400, 'the last whole window still counts');
    assert.equal(rate.add(1000), 4, 'two windows later: only the message just counted');
  });
});

describe('when a socket is written', () => {
  const busyAbove: WriteBatchingOptions = { busyAboveMessagesPerSecond: 1000, maxDelayMs: 10 };

  it('at the end of the turn when batching is off or the server is not busy', () => {
    assert.equal(writeTimeOf({ ...busyAbove, busyAboveMessagesPerSecond: 0 }, 1e9, 100, 101), 'end of turn');
    assert.equal(writeTimeOf(busyAbove, 999, 100, 101), 'end of turn');
  });

  it('held while busy if it was written less than the delay ago, at the end of the turn if quiet that long', () => {
    assert.equal(writeTimeOf(busyAbove, 1000, 100, 109), 'held');
    assert.equal(writeTimeOf(busyAbove, 1000, 100, 110), 'end of turn');
    assert.equal(writeTimeOf(busyAbove, 1000, undefined, 110), 'end of turn', 'never written');
  });
});

describe('socket write batcher on a real TCP connection', () => {
  let server: net.Server;
  let writer: net.Socket;
  let reader: net.Socket;
  const received: string[] = [];

  before(async () => {
    server = net.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as net.AddressInfo).port;
    const accepted = once(server, 'connection');
    writer = net.connect(port, '127.0.0.1');
    [reader] = (await accepted) as [net.Socket];
    reader.setEncoding('utf8');
    reader.on('data', (chunk: string) => received.push(chunk));
  });

  after(() => {
    writer.destroy();
    reader.destroy();
    server.close();
  });

  const turnEnd = () => new Promise<void>((resolve) => setImmediate(resolve));
  /** Writes `text` to the socket as a delivery does: corked by the batcher first. */
  const send = (batcher: SocketWriteBatcher, text: string) => {
    batcher.corkFor(writer);
    writer.write(text);
  };
  const receivedText = async (text: string) => {
    while (!received.join('').endsWith(text)) await once(reader, 'data');
  };

  it('writes at the end of the turn while the server is not busy', async () => {
    const batcher = new SocketWriteBatcher({ busyAboveMessagesPerSecond: 1_000_000, maxDelayMs: 1000 });
    send(batcher, 'a');
    send(batcher, 'b');
    assert.equal(writer.writableCorked, 1, 'corked once for the turn');
    await turnEnd();
    assert.equal(writer.writableCorked, 0);
    await receivedText('ab');
  });

  it('while busy, holds a socket written to recently until its timer, and a quiet one only for the turn', async () => {
    let now = 1_000;
    const batcher = new SocketWriteBatcher({ busyAboveMessagesPerSecond: 1, maxDelayMs: 20 }, () => now);
    send(batcher, 'c');
    await turnEnd();
    assert.equal(writer.writableCorked, 0, 'quiet before: written at the end of the turn');
    await receivedText('c');
    now += 5;
    send(batcher, 'd');
    now += 5;
    send(batcher, 'e');
    await turnEnd();
    assert.equal(writer.writableCorked, 1, 'written 5 ms ago: held');
    await receivedText('de');
    assert.equal(writer.writableCorked, 0, 'the timer wrote both in one go');
    now += 20;
    send(batcher, 'f');
    await turnEnd();
    assert.equal(writer.writableCorked, 0, 'quiet for the whole delay: written at the end of the turn');
    await receivedText('f');
  });

  it('writes everything held when flushed', async () => {
    let now = 5_000;
    const batcher = new SocketWriteBatcher({ busyAboveMessagesPerSecond: 1, maxDelayMs: 1000 }, () => now);
    send(batcher, 'g');
    await turnEnd();
    now += 1;
    send(batcher, 'h');
    await turnEnd();
    assert.equal(writer.writableCorked, 1);
    batcher.flush();
    assert.equal(writer.writableCorked, 0);
    await receivedText('gh');
  });
});
