import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MessageType, stringifyMessage } from 'graphql-ws';
import { serializedPayloadOf, withSetAsidePayload } from './ws.transport.js';

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
