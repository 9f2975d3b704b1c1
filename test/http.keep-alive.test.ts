import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ENDPOINTS, trackingFields } from './helpers/http.client.js';
import { closeAll } from './helpers/process.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { uniqueName } from './helpers/test-env.js';

interface Answer {
  readonly status: number;
  readonly keepAlive: string | undefined;
  readonly reusedSocket: boolean;
}

function post(app: TestApp, agent: http.Agent, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${app.url}${ENDPOINTS.tracking}`);
    const request = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            keepAlive: String(response.headers['keep-alive']),
            reusedSocket: request.reusedSocket,
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe('device connections kept alive', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ env: { HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: '30' } });
  });
  after(() => closeAll(() => app.close()));

  it('advertises the keep-alive timeout and keeps an idle connection open past Node’s default of 5 s', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const id = uniqueName('KA');
    const first = await post(app, agent, JSON.stringify(trackingFields(id, 10)));
    assert.equal(first.status, 200);
    assert.equal(first.keepAlive, 'timeout=30');
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const second = await post(app, agent, JSON.stringify(trackingFields(id, 20)));
    assert.equal(second.status, 200);
    assert.equal(second.reusedSocket, true, 'the device reused its idle connection');
    agent.destroy();
  });
});
