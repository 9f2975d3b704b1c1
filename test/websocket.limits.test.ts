import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { bearer, mintToken, startSecuredTestApp } from './helpers/auth.helpers.js';
import { subscribe, wsClient } from './helpers/graphql.client.js';
import { startTestApp, type TestApp, waitForSubscribers } from './helpers/test-app.js';
import { waitUntil } from './helpers/test-env.js';

const PROTOCOL = 'graphql-transport-ws';
const MAX_PAYLOAD = 2048;
const INIT_TIMEOUT_MS = 400;
const MAX_SUBSCRIPTIONS = 2;
const MAX_MESSAGES = 6;
const ALLOWED_ORIGIN = 'https://dispatch.example.org';

/** A raw graphql-ws connection: every message and the close, as the server sent them. */
class RawSocket {
  readonly messages: Array<{ type: string; id?: string; payload?: unknown }> = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;
  readonly socket: WebSocket;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.socket = new WebSocket(url, PROTOCOL, { headers });
    this.socket.on('message', (data) => this.messages.push(JSON.parse(String(data))));
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('unexpected-response', (_request, response) =>
        reject(new Error(`upgrade refused with ${response.statusCode}`)),
      );
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) =>
      this.socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  async waitFor(type: string, count = 1): Promise<void> {
    await waitUntil(() => this.messages.filter((message) => message.type === type).length >= count, {
      message: `${count} ${type} message(s); got ${JSON.stringify(this.messages)}`,
    });
  }

  async init(payload?: Record<string, unknown>): Promise<void> {
    await this.opened;
    this.send({ type: 'connection_init', ...(payload ? { payload } : {}) });
    await this.waitFor('connection_ack');
  }
}

/** A ping message padded to exactly `size` bytes. */
function pingOfSize(size: number): string {
  const empty = JSON.stringify({ type: 'ping', payload: { pad: '' } });
  const message = JSON.stringify({ type: 'ping', payload: { pad: 'x'.repeat(size - empty.length) } });
  assert.equal(Buffer.byteLength(message), size);
  return message;
}

describe('WebSocket limits', () => {
  let app: TestApp;
  let wsUrl: string;
  const sockets: RawSocket[] = [];

  before(async () => {
    app = await startTestApp({
      events: 'local',
      env: {
        WS_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD),
        WS_CONNECTION_INIT_TIMEOUT_MS: String(INIT_TIMEOUT_MS),
        WS_MAX_SUBSCRIPTIONS: String(MAX_SUBSCRIPTIONS),
        WS_MAX_MESSAGES_PER_MINUTE: String(MAX_MESSAGES),
        CORS_ORIGINS: ALLOWED_ORIGIN,
      },
    });
    wsUrl = app.wsUrl;
  });
  after(async () => {
    for (const raw of sockets) raw.socket.terminate();
    await app.close();
  });

  const open = (headers: Record<string, string> = {}) => {
    const raw = new RawSocket(wsUrl, headers);
    sockets.push(raw);
    return raw;
  };

  it(`accepts a message of exactly WS_MAX_PAYLOAD_BYTES and closes with 1009 on one byte more`, async () => {
    const raw = open();
    await raw.init();
    raw.send(pingOfSize(MAX_PAYLOAD));
    await raw.waitFor('pong');
    raw.send(pingOfSize(MAX_PAYLOAD + 1));
    assert.equal((await raw.closed).code, 1009);
  });

  it('closes a connection that sends no connection_init in time with 4408, and keeps one that does', async () => {
    const silent = open();
    await silent.opened;
    const prompt = open();
    await prompt.init();
    assert.equal((await silent.closed).code, 4408);
    // The prompt one outlived the same timeout and still answers.
    prompt.send({ type: 'ping' });
    await prompt.waitFor('pong');
    assert.equal(prompt.socket.readyState, WebSocket.OPEN);
  });

  it('allows WS_MAX_SUBSCRIPTIONS operations per connection, refuses one more with TOO_MANY_SUBSCRIPTIONS', async () => {
    const client = wsClient(wsUrl);
    try {
      const query = 'subscription { trackingUpdated { id } }';
      const first = subscribe(client, query);
      subscribe(client, query);
      await waitForSubscribers(app, MAX_SUBSCRIPTIONS);
      const third = subscribe(client, query);
      await third.completed;
      const [error] = (third.errors[0] ?? []) as Array<{ extensions?: Record<string, unknown> }>;
      assert.equal(error?.extensions?.code, 'TOO_MANY_SUBSCRIPTIONS', JSON.stringify(third.errors));
      first.dispose();
      await waitUntil(() => app.app.subscriptions.activeSubscribers === MAX_SUBSCRIPTIONS - 1, { message: 'one gone' });
      const again = subscribe(client, query);
      await waitForSubscribers(app, MAX_SUBSCRIPTIONS);
      assert.deepEqual(again.errors, []);
    } finally {
      await client.dispose();
    }
  });

  it('allows WS_MAX_MESSAGES_PER_MINUTE messages and closes with 4429 on the next', async () => {
    const raw = open();
    await raw.init();
    for (let ping = 1; ping < MAX_MESSAGES; ping += 1) raw.send({ type: 'ping' });
    await raw.waitFor('pong', MAX_MESSAGES - 1);
    assert.equal(raw.socket.readyState, WebSocket.OPEN);
    raw.send({ type: 'ping' });
    const closed = await raw.closed;
    assert.equal(closed.code, 4429);
    assert.match(closed.reason, /Too many messages/);
  });

  it('accepts no Origin, the same host (any scheme: TLS may end at a proxy) and listed origins, refuses others with 403', async () => {
    const host = new URL(app.url).host;
    for (const headers of [{}, { origin: `http://${host}` }, { origin: ALLOWED_ORIGIN }] as Array<
      Record<string, string>
    >) {
      const raw = open(headers);
      await raw.init();
      raw.socket.close();
    }
    for (const origin of ['https://evil.example', 'null', `${ALLOWED_ORIGIN}.evil.example`, 'http://127.0.0.1']) {
      const raw = open({ origin });
      await assert.rejects(raw.opened, /upgrade refused with 403/, origin);
    }
  });
});

describe('WebSocket connections per address and per token subject', () => {
  const MAX_PER_ADDRESS = 3;
  const MAX_PER_SUBJECT = 2;
  let app: TestApp;
  const sockets: RawSocket[] = [];
  before(async () => {
    app = await startSecuredTestApp({
      events: 'local',
      env: {
        WS_MAX_CONNECTIONS_PER_ADDRESS: String(MAX_PER_ADDRESS),
        WS_MAX_CONNECTIONS_PER_SUBJECT: String(MAX_PER_SUBJECT),
      },
    });
  });
  after(async () => {
    for (const raw of sockets) raw.socket.terminate();
    await app.close();
  });
  const open = (address: string) => {
    const raw = new RawSocket(app.wsUrl, { 'x-forwarded-for': address });
    sockets.push(raw);
    return raw;
  };

  it('accepts WS_MAX_CONNECTIONS_PER_ADDRESS connections from one address and closes the next with 4429', async () => {
    const token = (n: number) => mintToken('dispatcher', { subject: `address-test-${n}` });
    const accepted: RawSocket[] = [];
    for (let n = 0; n < MAX_PER_ADDRESS; n += 1) {
      const raw = open('203.0.113.5');
      await raw.init(bearer(await token(n)));
      accepted.push(raw);
    }
    const refused = open('203.0.113.5');
    const closed = await refused.closed;
    assert.equal(closed.code, 4429);
    assert.match(closed.reason, /Too many connections from this address \(at most 3\)/);
    // Another address has its own count; a closed connection frees its place.
    await open('203.0.113.6').init(bearer(await token(10)));
    accepted[0]?.socket.close();
    await accepted[0]?.closed;
    await waitUntil(
      async () => {
        const again = open('203.0.113.5');
        const outcome = await Promise.race([again.closed.then(() => 'closed'), again.opened.then(() => 'open')]);
        if (outcome === 'open') await new Promise((resolve) => setTimeout(resolve, 50));
        return again.socket.readyState === WebSocket.OPEN;
      },
      { message: 'a place freed for the address' },
    );
  });

  it('accepts WS_MAX_CONNECTIONS_PER_SUBJECT connections with one token subject and closes the next with 4429', async () => {
    const token = await mintToken('partner', { subject: 'partner-app' });
    const accepted: RawSocket[] = [];
    for (let n = 0; n < MAX_PER_SUBJECT; n += 1) {
      // From different addresses: the subject's count is across them.
      const raw = open(`198.51.100.${n + 1}`);
      await raw.init(bearer(token));
      accepted.push(raw);
    }
    const refused = open('198.51.100.9');
    await refused.opened;
    refused.send({ type: 'connection_init', payload: bearer(token) });
    const closed = await refused.closed;
    assert.equal(closed.code, 4429);
    assert.match(closed.reason, /Too many connections with this token's subject \(at most 2\)/);
    // Another subject is not affected; a closed connection frees its place.
    await open('198.51.100.9').init(bearer(await mintToken('partner', { subject: 'other-app' })));
    accepted[0]?.socket.close();
    await accepted[0]?.closed;
    await waitUntil(
      async () => {
        const again = open('198.51.100.10');
        await again.opened;
        again.send({ type: 'connection_init', payload: bearer(token) });
        const outcome = await Promise.race([
          again.closed.then(() => 'closed'),
          again.waitFor('connection_ack').then(() => 'ack'),
        ]);
        return outcome === 'ack';
      },
      { message: 'a place freed for the subject' },
    );
  });
});

describe('CORS on /graphql', () => {
  let listed: TestApp;
  let unlisted: TestApp;
  before(async () => {
    listed = await startTestApp({ events: 'local', env: { CORS_ORIGINS: ALLOWED_ORIGIN } });
    unlisted = await startTestApp({ events: 'local' });
  });
  after(async () => {
    await listed.close();
    await unlisted.close();
  });

  const preflight = (app: TestApp, origin: string) =>
    fetch(app.graphqlUrl, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });

  it('answers a listed origin with that origin (never *) and no credentials, for preflight and POST', async () => {
    const response = await preflight(listed, ALLOWED_ORIGIN);
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN);
    assert.equal(response.headers.get('access-control-allow-credentials'), null);
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /authorization/);
    const post = await fetch(listed.graphqlUrl, {
      method: 'POST',
      headers: { origin: ALLOWED_ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ ambulances { id } }' }),
    });
    assert.equal(post.status, 200);
    assert.equal(post.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN);
  });

  it('gives other origins, and every origin by default, no CORS headers', async () => {
    for (const [app, origin] of [
      [listed, 'https://evil.example'],
      [unlisted, ALLOWED_ORIGIN],
    ] as const) {
      const response = await preflight(app, origin);
      assert.equal(response.headers.get('access-control-allow-origin'), null, origin);
      const post = await fetch(app.graphqlUrl, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ ambulances { id } }' }),
      });
      assert.equal(post.headers.get('access-control-allow-origin'), null);
    }
  });
});
