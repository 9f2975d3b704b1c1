import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, mintToken, startSecuredTestApp, TEST_JWT_SECRET } from './helpers/auth.helpers.js';
import { graphqlRequest } from './helpers/graphql.client.js';
import { graphqlMultipart } from './helpers/graphql.helpers.js';
import { ENDPOINTS, postFields, postImages, TINY_PNG, trackingFields } from './helpers/http.client.js';
import { storedState } from './helpers/ingest.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { uniqueName } from './helpers/test-env.js';

const UPLOAD = `mutation Upload($ambulanceId: ID!, $files: [Upload!]!) {
  uploadSnapshot(ambulanceId: $ambulanceId, files: $files) { id ambulanceId }
}`;
const UPLOAD_WITH_POSITION = `mutation Upload($ambulanceId: ID!, $files: [Upload!]!) {
  uploadSnapshot(ambulanceId: $ambulanceId, files: $files) { id ambulance { id lastPosition { latitude longitude } } }
}`;
const INTROSPECTION = '{ __schema { queryType { name } } }';
const TYPO = '{ ambulancez { id } }';

type Errors = Array<{ message: string; extensions?: Record<string, unknown> }> | undefined;
const codeOf = (errors: Errors) => errors?.[0]?.extensions?.code;

function assertForbidden(response: { data?: unknown; errors?: Errors }, pattern?: RegExp): void {
  assert.equal(codeOf(response.errors), 'FORBIDDEN', JSON.stringify(response));
  if (pattern) assert.match(response.errors?.[0]?.message ?? '', pattern);
}

describe('GraphQL over HTTP with authentication on', () => {
  let app: TestApp;
  const inScope = uniqueName('A');
  const outOfScope = uniqueName('B');
  const tokens = { dispatcher: '', partner: '', scoped: '', device: '' };

  before(async () => {
    app = await startSecuredTestApp();
    for (const id of [inScope, outOfScope]) {
      // Speed 100: ORANGE, so each ambulance has a speeding episode too.
      assert.equal((await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields(id, 100))).status, 200);
      assert.equal((await postFields(`${app.url}${ENDPOINTS.crash}`, trackingFields(id, 10))).status, 200);
      assert.equal((await postImages(app.url, id, [{ field: 'image', data: TINY_PNG }])).status, 200);
    }
    await storedState(app);
    tokens.dispatcher = await mintToken('dispatcher');
    tokens.partner = await mintToken('partner');
    tokens.scoped = await mintToken('partner', { ambulances: [inScope] });
    tokens.device = await mintToken('device', { ambulances: [inScope] });
  });
  after(() => app.close());

  const ask = (query: string, token?: string, variables: Record<string, unknown> = {}) =>
    graphqlRequest(app.graphqlUrl, query, variables, token ? bearer(token) : {});

  it('refuses a request without a token with 401 UNAUTHENTICATED, a WWW-Authenticate header and no data', async () => {
    const response = await fetch(app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ ambulances { id } }' }),
    });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer');
    const body = (await response.json()) as { data?: unknown; errors: Errors };
    assert.equal(body.data, undefined);
    assert.equal(codeOf(body.errors), 'UNAUTHENTICATED');
    assert.match(body.errors?.[0]?.message ?? '', /Authorization: Bearer/);
  });

  it('refuses malformed, wrongly signed and expired tokens with 401 and says why', async () => {
    const wrong = await mintToken('dispatcher', { secret: `${TEST_JWT_SECRET}-not` });
    const expired = await mintToken('dispatcher', { expiresIn: -60 });
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ authorization: 'Bearer not.a.jwt' }, /malformed/],
      [{ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, /Bearer <token>/],
      [bearer(wrong), /signature/],
      [bearer(expired), /expired/],
    ];
    for (const [headers, reason] of cases) {
      const response = await graphqlRequest(app.graphqlUrl, '{ ambulances { id } }', {}, headers);
      assert.equal(response.status, 401, JSON.stringify(response));
      assert.equal(codeOf(response.errors), 'UNAUTHENTICATED');
      assert.match(response.errors?.[0]?.message ?? '', reason);
    }
  });

  it('gives anonymous callers neither introspection nor field suggestions; authenticated partners get both', async () => {
    for (const query of [INTROSPECTION, TYPO]) {
      const anonymous = await ask(query);
      assert.equal(anonymous.status, 401);
      assert.doesNotMatch(JSON.stringify(anonymous), /Did you mean|__schema|queryType/);
    }
    const introspection = await ask(INTROSPECTION, tokens.scoped);
    assert.deepEqual(introspection.data, { __schema: { queryType: { name: 'Query' } } });
    const typo = await ask(TYPO, tokens.partner);
    assert.equal(codeOf(typo.errors), 'GRAPHQL_VALIDATION_FAILED');
    assert.match(typo.errors?.[0]?.message ?? '', /Did you mean "ambulance"/);
  });

  it('lets a dispatcher and an unscoped partner read every ambulance', async () => {
    for (const token of [tokens.dispatcher, tokens.partner]) {
      const response = await ask('{ ambulances { id } }', token);
      const ids = (response.data as { ambulances: Array<{ id: string }> }).ambulances.map((a) => a.id);
      assert.deepEqual(ids.sort(), [inScope, outOfScope].sort());
    }
  });

  it('limits a scoped partner to its ambulances on every query, fleet-wide lists included', async () => {
    const { scoped } = tokens;
    const list = await ask('{ ambulances { id } }', scoped);
    assert.deepEqual(list.data, { ambulances: [{ id: inScope }] });

    const crashes = await ask('{ crashes { edges { node { ambulanceId } } } }', scoped);
    assert.deepEqual(crashes.data, { crashes: { edges: [{ node: { ambulanceId: inScope } }] } });
    const episodes = await ask('{ speedingEpisodes { totalCount edges { node { ambulanceId } } } }', scoped);
    assert.deepEqual(episodes.data, {
      speedingEpisodes: { totalCount: 1, edges: [{ node: { ambulanceId: inScope } }] },
    });

    const own = await ask(
      `query($id: ID!) {
        ambulance(id: $id) { id lastPosition { ambulanceId } }
        trackingHistory(ambulanceId: $id) { edges { node { ambulanceId ambulance { id lastPosition { ambulanceId } } } } }
        snapshots(ambulanceId: $id) { edges { node { ambulanceId ambulance { id } } } }
        crashes(ambulanceId: $id) { edges { node { ambulance { id } } } }
      }`,
      scoped,
      { id: inScope },
    );
    assert.equal(own.errors, undefined, JSON.stringify(own.errors));
    assert.doesNotMatch(JSON.stringify(own.data), new RegExp(outOfScope));
    assert.equal((own.data as { ambulance: { id: string } }).ambulance.id, inScope);

    for (const [query, argument] of [
      ['query($id: ID!) { ambulance(id: $id) { id } }', 'id'],
      ['query($id: ID!) { trackingHistory(ambulanceId: $id) { edges { node { id } } } }', 'ambulanceId'],
      ['query($id: ID!) { snapshots(ambulanceId: $id) { edges { node { id } } } }', 'ambulanceId'],
      ['query($id: ID) { crashes(ambulanceId: $id) { edges { node { id } } } }', 'ambulanceId'],
      ['query($id: ID) { speedingEpisodes(ambulanceId: $id) { totalCount } }', 'ambulanceId'],
    ] as const) {
      const response = await ask(query, scoped, { id: outOfScope });
      assertForbidden(response, /outside the ambulances your token allows/);
      assert.equal(response.errors?.[0]?.extensions?.argumentName, argument);
      assert.doesNotMatch(JSON.stringify(response.data ?? null), /"id":"/);
    }
  });

  it('keeps partners read-only: the upload mutation is FORBIDDEN, and multipart is refused before it is read', async () => {
    const json = await ask(UPLOAD, tokens.partner, { ambulanceId: inScope, files: [] });
    assertForbidden(json, /partner role may not use Mutation.uploadSnapshot/);
    const before = await storedState(app);
    const multipart = await graphqlMultipart(
      app.graphqlUrl,
      UPLOAD,
      { ambulanceId: inScope },
      'files',
      [{ data: TINY_PNG }],
      { 'Apollo-Require-Preflight': 'true', ...bearer(tokens.partner) },
    );
    assert.equal(multipart.status, 403, multipart.text);
    assert.equal(codeOf(multipart.body?.errors), 'FORBIDDEN');
    assert.deepEqual(await storedState(app), before);
  });

  it('lets a device upload for its own ambulances only, and read nothing', async () => {
    const headers = { 'Apollo-Require-Preflight': 'true', ...bearer(tokens.device) };
    const own = await graphqlMultipart(
      app.graphqlUrl,
      UPLOAD,
      { ambulanceId: inScope },
      'files',
      [{ data: TINY_PNG }],
      headers,
    );
    assert.equal(own.status, 200, own.text);
    const snapshot = own.body?.data?.uploadSnapshot as { ambulanceId: string } | undefined;
    assert.equal(snapshot?.ambulanceId, inScope);

    const before = await storedState(app);
    const other = await graphqlMultipart(
      app.graphqlUrl,
      UPLOAD,
      { ambulanceId: outOfScope },
      'files',
      [{ data: TINY_PNG }],
      headers,
    );
    assertForbidden(other.body ?? {}, /outside the ambulances/);
    assert.deepEqual(await storedState(app), before);

    assertForbidden(await ask('{ ambulances { id } }', tokens.device), /device role may not use Query.ambulances/);

    // Nor through the upload's answer: the snapshot's ambulance and its position are for readers.
    const nested = await graphqlMultipart(
      app.graphqlUrl,
      UPLOAD_WITH_POSITION,
      { ambulanceId: inScope },
      'files',
      [{ data: TINY_PNG }],
      headers,
    );
    assertForbidden(nested.body ?? {}, /device role may not use Snapshot.ambulance/);
    assert.match(nested.text, /"path":\["uploadSnapshot","ambulance"\]/);
    assert.doesNotMatch(nested.text, /latitude|longitude/);
    assert.equal((await storedState(app)).imageRecords, before.imageRecords + 1, 'the upload itself is stored');

    const dispatcher = await graphqlMultipart(
      app.graphqlUrl,
      UPLOAD_WITH_POSITION,
      { ambulanceId: inScope },
      'files',
      [{ data: TINY_PNG }],
      { 'Apollo-Require-Preflight': 'true', ...bearer(tokens.dispatcher) },
    );
    assert.equal(dispatcher.body?.errors, undefined, dispatcher.text);
    const read = dispatcher.body?.data?.uploadSnapshot as { ambulance: { id: string; lastPosition: unknown } };
    assert.equal(read.ambulance.id, inScope);
    assert.ok(read.ambulance.lastPosition, dispatcher.text);
    assertForbidden(await ask(`{ crashes { edges { node { id } } } }`, tokens.device));
  });
});

describe('GraphQL over HTTP in open mode (no JWT secret, NODE_ENV=test)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('treats callers without a token as dispatchers and ignores tokens, even invalid ones', async () => {
    for (const headers of [{}, { authorization: 'Bearer garbage' }, bearer(await mintToken('device'))]) {
      const response = await graphqlRequest(
        app.graphqlUrl,
        `{ ambulances { id } ${INTROSPECTION.slice(1, -1)} }`,
        {},
        headers,
      );
      assert.equal(response.status, 200, JSON.stringify(response));
      assert.equal(response.errors, undefined);
    }
  });
});
