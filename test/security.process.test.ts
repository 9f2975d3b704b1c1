import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { bearer, startSecuredTestApp, TEST_JWT_SECRET } from './helpers/auth.helpers.js';
import { graphqlRequest } from './helpers/graphql.client.js';
import { runServer, type ServerProcess } from './helpers/server.process.js';
import type { TestApp } from './helpers/test-app.js';
import { testEnv, uniqueName } from './helpers/test-env.js';

const TOKEN_JS = path.resolve(import.meta.dirname, '..', 'scripts', 'token.js');
const execFileAsync = promisify(execFile);

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function tokenCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const childEnv: Record<string, string | undefined> = { ...process.env, JWT_SECRET: TEST_JWT_SECRET, ...env };
  for (const [key, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[key];
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [TOKEN_JS, ...args], { env: childEnv });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run token (the compiled script)', () => {
  let app: TestApp;
  before(async () => {
    app = await startSecuredTestApp({ events: 'local' });
  });
  after(() => app.close());

  it('issues a token the server accepts, limited to the listed ambulances', async () => {
    const issued = await tokenCli(['--role', 'partner', '--ambulances', '332,333', '--expires-in', '1h']);
    assert.equal(issued.code, 0, issued.stderr);
    const token = issued.stdout.trim();
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal(issued.stdout, `${token}\n`, 'only the token on stdout');

    const own = await graphqlRequest(
      app.graphqlUrl,
      '{ trackingHistory(ambulanceId: "333") { edges { node { id } } } }',
      {},
      bearer(token),
    );
    assert.equal(own.status, 200);
    assert.equal(own.errors, undefined, JSON.stringify(own.errors));
    const other = await graphqlRequest(app.graphqlUrl, '{ ambulance(id: "334") { id } }', {}, bearer(token));
    assert.equal(other.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });

  it('inspects a token: decodes it and verifies it with JWT_SECRET', async () => {
    const token = (await tokenCli(['--role', 'device', '--ambulances', '7', '--subject', 'unit-7'])).stdout.trim();
    const inspected = await tokenCli(['--inspect', token]);
    assert.equal(inspected.code, 0, inspected.stderr);
    const report = JSON.parse(inspected.stdout) as Record<string, unknown>;
    assert.equal(report.verified, true);
    assert.equal(report.role, 'device');
    assert.deepEqual(report.ambulances, ['7']);
    assert.equal((report.payload as { sub: string }).sub, 'unit-7');
    assert.ok(Date.parse(String(report.expiresAt)) > Date.now());

    const wrongSecret = await tokenCli(['--inspect', token], { JWT_SECRET: `${TEST_JWT_SECRET}-other` });
    assert.equal(wrongSecret.code, 2);
    const refused = JSON.parse(wrongSecret.stdout) as Record<string, unknown>;
    assert.equal(refused.verified, false);
    assert.match(String(refused.reason), /signature/);
  });

  it('refuses bad requests with exit code 64 and says what to fix', async () => {
    const cases: Array<[string[], Record<string, string | undefined>, RegExp]> = [
      [['--role', 'admin'], {}, /--role must be one of dispatcher, partner, device/],
      [['--role', 'partner', '--ambulances', '332,../x'], {}, /"\.\.\/x" is not an ambulance id/],
      [['--role', 'partner', '--expires-in', 'soon'], {}, /--expires-in "soon"/],
      [['--role', 'partner', '--expires-in', '30d'], {}, /longer than the 86400 s .*JWT_MAX_TOKEN_LIFETIME_SECONDS/],
      [['--role', 'partner'], { JWT_SECRET: undefined }, /JWT_SECRET is not set/],
      [['--role', 'partner'], { JWT_SECRET: 'short' }, /JWT_SECRET: must be at least 32 characters/],
      [['--rolle', 'partner'], {}, /Unknown option '--rolle'/],
      [['--inspect', 'not-a-jwt'], {}, /not a JWT/],
    ];
    for (const [args, env, message] of cases) {
      const result = await tokenCli(args, env);
      assert.equal(result.code, 64, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    }
  });
});

describe('start-up without and with a JWT secret (the real server process)', () => {
  let uploadDir: string;
  const running: ServerProcess[] = [];
  before(async () => {
    uploadDir = await mkdtemp(path.join(os.tmpdir(), 'aoc-security-'));
  });
  after(async () => {
    for (const server of running) if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await rm(uploadDir, { recursive: true, force: true });
  });

  const start = (env: Record<string, string | undefined>) => {
    const server = runServer({
      MONGODB_URI: `${testEnv.mongoUri}${uniqueName('sec')}`,
      REDIS_URL: undefined,
      UPLOAD_DIR: uploadDir,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      JWT_SECRET: undefined,
      JWT_JWKS_URL: undefined,
      ...env,
    });
    running.push(server);
    return server;
  };

  it('refuses to start in production without JWT_SECRET or JWT_JWKS_URL, saying how to fix it', async () => {
    const server = start({ NODE_ENV: 'production' });
    assert.equal(await server.exited, 78);
    assert.match(server.stderr(), /neither JWT_SECRET nor JWT_JWKS_URL is set/);
    assert.match(server.stderr(), /npm run token/);
  });

  it('runs open in development without a secret and says so loudly', async () => {
    const server = start({ NODE_ENV: 'development' });
    const warning = await server.waitForLog((line) => /RUNS OPEN/.test(String(line.msg)));
    assert.equal(warning.level, 'warn');
    const listening = await server.waitForLog((line) => line.msg === 'listening');
    const open = await graphqlRequest(`${String(listening.url)}/graphql`, '{ ambulances { id } }');
    assert.equal(open.status, 200);
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  });

  it('requires tokens in production with a secret, and never logs them', async () => {
    const server = start({ NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'debug' });
    const listening = await server.waitForLog((line) => line.msg === 'listening');
    assert.ok(server.lines.some((line) => line.msg === 'GraphQL requires bearer tokens'));
    const graphqlUrl = `${String(listening.url)}/graphql`;
    assert.equal((await graphqlRequest(graphqlUrl, '{ ambulances { id } }')).status, 401);
    const token = (await tokenCli(['--role', 'dispatcher'])).stdout.trim();
    const authorized = await graphqlRequest(graphqlUrl, '{ ambulances { id } }', {}, bearer(token));
    assert.equal(authorized.status, 200, JSON.stringify(authorized));
    const wrong = `${token.slice(0, -2)}xx`;
    assert.equal((await graphqlRequest(graphqlUrl, '{ ambulances { id } }', {}, bearer(wrong))).status, 401);
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
    const log = JSON.stringify(server.lines) + server.stderr();
    assert.ok(!log.includes(token.split('.')[2] as string), 'a token signature appeared in the log');
    assert.ok(!log.includes(wrong.split('.')[2] as string));
  });
  /** The address the server reports listening on when HOST is unset, and its GraphQL answer without a token. */
  const listenWithoutHost = async (env: Record<string, string | undefined>) => {
    const server = start({ NODE_ENV: 'development', HOST: undefined, ...env });
    const listening = await server.waitForLog((line) => line.msg === 'listening');
    const { status } = await graphqlRequest(`${String(listening.url)}/graphql`, '{ ambulances { id } }');
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
    return { address: listening.address, status };
  };

  it('listens on 127.0.0.1 only while GraphQL runs open, unless HOST says otherwise', async () => {
    assert.deepEqual(await listenWithoutHost({}), { address: '127.0.0.1', status: 200 });
    assert.deepEqual(await listenWithoutHost({ HOST: '0.0.0.0' }), { address: '0.0.0.0', status: 200 });
  });

  it('listens on every interface by default once tokens are required', async () => {
    assert.deepEqual(await listenWithoutHost({ JWT_SECRET: TEST_JWT_SECRET }), { address: '0.0.0.0', status: 401 });
  });
});
