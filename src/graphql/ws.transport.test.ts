import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { MessageType, stringifyMessage } from 'graphql-ws';
import { WebSocket, WebSocketServer } from 'ws';
import { DirectDelivery, serializedPayloadOf, withSetAsidePayload } from './ws.transport.js';

describe('serialised payloads', () => {
  const result = { data: { trackingUpdated: { id: 'a', note: 'quote " dollar $& brace }', speed: 42.5 } } };

  it('splices the payload into the message graphql-ws writes, which then equals the plain message', () => {
    const payload = serializedPayloadOf(result);
    const message = withSetAsidePayload(stringifyMessage({ id: 'op-1', type: MessageType.Next, payload } as never));
    assert.deepEqual(JSON.parse(message), { id: 'op-1', type: 'next', payload: result });
  });

  it('serialises a result once, whoever it is sent to', () => {
    assert.equal(serializedPayloadOf(result), serializedPayloadOf(result));
    const first = withSetAsidePayload(
      stringifyMessage({ id: '1', type: MessageType.Next, payload: serializedPayloadOf(result) } as never),
    );
    const second = withSetAsidePayload(
      stringifyMessage({ id: '2', type: MessageType.Next, payload: serializedPayloadOf(result) } as never),
    );
    assert.deepEqual(JSON.parse(first).payload, JSON.parse(second).payload);
    assert.equal(JSON.parse(second).id, '2');
  });

  it('leaves messages without a serialised payload as they are', () => {
    const message = stringifyMessage({ id: '3', type: MessageType.Complete });
    assert.equal(withSetAsidePayload(message), message);
    const plain = stringifyMessage({ id: '4', type: MessageType.Next, payload: result });
    assert.equal(withSetAsidePayload(plain), plain);
  });
});

describe('direct delivery to a real WebSocket', () => {
  const result = { data: { trackingUpdated: { ambulanceId: 'A-1', note: 'é "quoted" }', speed: 88 } } };

  /** A ws server on port 0 (with or without compression) and one client of it; the server's end of the socket. */
  async function connected(perMessageDeflate: boolean) {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate });
    await once(server, 'listening');
    const accepted = once(server, 'connection');
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { perMessageDeflate });
    const messages: string[] = [];
    client.on('message', (data: Buffer) => messages.push(data.toString('utf8')));
    const [socket] = (await accepted) as [WebSocket];
    await once(client, 'open');
    const close = async () => {
      client.terminate();
      await new Promise((resolve) => server.close(resolve));
    };
    return { socket, messages, close, extensions: client.extensions };
  }

  const arrival = async (messages: readonly string[], count: number) => {
    while (messages.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
  };

  for (const perMessageDeflate of [false, true]) {
    it(`writes graphql-ws's next message, in order with ws's own messages (compression ${perMessageDeflate ? 'on' : 'off'})`, async () => {
      const { socket, messages, close, extensions } = await connected(perMessageDeflate);
      try {
        assert.equal(extensions === '', !perMessageDeflate, 'compression negotiated as asked');
        const delivery = new DirectDelivery(socket, 'op-"7"');
        assert.equal(delivery.send(result, 10), true);
        socket.send('{"type":"ping"}');
        assert.equal(delivery.send(result, 10), true);
        await arrival(messages, 3);
        assert.deepEqual(
          messages.map((message) => JSON.parse(message)),
          [
            { id: 'op-"7"', type: 'next', payload: result },
            { type: 'ping' },
            { id: 'op-"7"', type: 'next', payload: result },
          ],
        );
      } finally {
        await close();
      }
    });
  }
});
