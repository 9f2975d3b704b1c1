import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../src/config/env.config.js';
import { DEFAULT_DASHBOARD_DIR } from '../src/dashboard/dashboard.router.js';
import { findFreePort } from '../src/infra/free-port.js';
import { LEGACY_SOCKET_PATH } from '../src/legacy-socket/legacy-socket.server.js';
import {
  evaluateNginxMap,
  findDirectives,
  interpolateCompose,
  type NginxDirective,
  parseDockerfile,
  parseEnvExample,
  parseNginx,
  REPO_ROOT,
  readRepoFile,
} from './helpers/deployment.files.js';
import { ENDPOINTS, postFields, trackingFields } from './helpers/http.client.js';
import { scrape } from './helpers/metrics.helpers.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const run = promisify(execFile);

// biome-ignore lint/suspicious/noExplicitAny: docker-compose.yml is free-form YAML, checked field by field below.
type Yaml = any;

const compose: Yaml = parseYaml(readRepoFile('docker-compose.yml'));
const services: Record<string, Yaml> = compose.services;
const envExample = parseEnvExample(readRepoFile('.env.example'));
const configurationDoc = readRepoFile('docs/configuration.md');
const operationsDoc = readRepoFile('docs/operations.md');
const dockerfile = parseDockerfile(readRepoFile('Dockerfile'));
const defaults = loadConfig({});
const NGINX_MOUNT = { containerDir: '/etc/nginx/aoc', hostDir: path.join(REPO_ROOT, 'deploy', 'nginx') };
const nginx = parseNginx(path.join(REPO_ROOT, 'deploy', 'nginx', 'nginx.conf'), NGINX_MOUNT);
/** The nginx configuration as it is once an operator has enabled TLS (README "TLS"): the examples copied. */
const nginxWithTls = (() => {
  const hostDir = mkdtempSync(path.join(os.tmpdir(), 'aoc-nginx-'));
  try {
    cpSync(NGINX_MOUNT.hostDir, hostDir, { recursive: true });
    for (const name of ['tls.conf', 'http-redirect.conf'])
      cpSync(path.join(hostDir, 'tls', `${name}.example`), path.join(hostDir, 'tls', name));
    return parseNginx(path.join(hostDir, 'nginx.conf'), { containerDir: NGINX_MOUNT.containerDir, hostDir });
  } finally {
    rmSync(hostDir, { recursive: true, force: true });
  }
})();
/** Variables the app reads only without MONGODB_URI (embedded FerretDB), so not in the deployment. */
const EMBEDDED_ONLY = ['DATA_DIR', 'FERRETDB_BIN'];
/** An .env made by the README's first-start steps. */
const FIRST_START_ENV = {
  MONGO_ROOT_PASSWORD: 'r'.repeat(48),
  MONGO_APP_PASSWORD: 'a'.repeat(48),
  REDIS_PASSWORD: 'p'.repeat(48),
  JWT_SECRET: 's'.repeat(64),
};
/** App variables compose builds from other variables. */
const COMPOSED = ['MONGODB_URI', 'REDIS_URL', 'TRUST_PROXY'];
const PROXY_HEADERS = ['Host', 'X-Request-Id', 'X-Forwarded-For', 'X-Forwarded-Proto'];
const prometheus: Yaml = parseYaml(readRepoFile('deploy/prometheus/prometheus.yml'));
const LEGACY_DEVICE_PORT = 5000;

/** `source:target[:mode]` volume entries of a service, as objects. */
function volumesOf(service: string): Array<{ source: string; target: string; readOnly: boolean }> {
  return ((services[service]?.volumes ?? []) as string[]).map((entry) => {
    const [source, target, mode] = entry.split(':');
    return { source: source as string, target: target as string, readOnly: mode === 'ro' };
  });
}

/** `${NAME}`, `${NAME:-default}`, `${NAME:?message}` references in the compose file. */
function composeVariables(): Set<string> {
  return new Set([...readRepoFile('docker-compose.yml').matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1] as string));
}

function locationBlock(prefix: string): readonly NginxDirective[] {
  const servers = findDirectives(nginx, 'server').filter((found) => found.directive.block);
  const [first] = servers;
  assert.ok(first, 'nginx has a server block');
  const location = first.directive.block?.find(
    (directive) => directive.name === 'location' && directive.args.at(-1) === prefix,
  );
  assert.ok(location?.block, `nginx has location ${prefix}`);
  return location.block;
}

/** Server blocks with the ports they listen on. */
function serversOf(tree: readonly NginxDirective[]): Array<{ ports: string[]; block: readonly NginxDirective[] }> {
  return findDirectives(tree, 'server')
    .filter((found) => found.directive.block)
    .map(({ directive }) => {
      const block = directive.block as readonly NginxDirective[];
      return { ports: argsOf(block, 'listen').map((args) => args[0] as string), block };
    });
}

const argsOf = (block: readonly NginxDirective[], name: string) =>
  block.filter((directive) => directive.name === name).map((directive) => directive.args);

describe('deployment files match the code', () => {
  let app: TestApp;
  before(async () => {
    // With Redis, as deployed, so every metric the alert rules use is exported.
    app = await startTestApp();
  });
  after(async () => {
    await app.close();
  });

  describe('environment', () => {
    it('every variable the app reads is listed in .env.example and documented in docs/configuration.md', () => {
      assert.ok(CONFIG_VARIABLES.length >= 20, 'the variable list comes from the config schema');
      for (const name of CONFIG_VARIABLES) {
        assert.ok(envExample.has(name), `${name} is missing from .env.example`);
        assert.ok(configurationDoc.includes(`\`${name}\``), `${name} is not documented in docs/configuration.md`);
      }
    });

    it('every variable docker-compose.yml interpolates is in .env.example, and the app gets only variables it reads', () => {
      for (const name of composeVariables()) assert.ok(envExample.has(name), `${name} is missing from .env.example`);
      const appEnvironment = Object.keys(services.app.environment);
      for (const name of appEnvironment) {
        assert.ok(
          (CONFIG_VARIABLES as readonly string[]).includes(name),
          `app environment ${name} is not read by the app`,
        );
      }
      assert.deepEqual(
        ['MONGODB_URI', 'REDIS_URL', 'UPLOAD_DIR', 'PORT', 'NODE_ENV'].filter((name) => !appEnvironment.includes(name)),
        [],
        'the compose file sets the service addresses, the upload directory, the port and production mode',
      );
      assert.equal(services.app.environment.NODE_ENV, 'production');
    });

    it('the app gets every variable it reads by name, never the whole .env, and never the MongoDB root password', () => {
      assert.equal(services.app.env_file, undefined, 'no env_file: it would pass every secret in .env to the app');
      const environment = services.app.environment as Record<string, string>;
      for (const name of CONFIG_VARIABLES.filter((name) => !EMBEDDED_ONLY.includes(name))) {
        assert.ok(name in environment, `${name} cannot be set for the app: list it under app.environment`);
        const value = String(environment[name]);
        if (value.includes('${') && !COMPOSED.includes(name))
          assert.ok(value.startsWith(`\${${name}:`), `${name} is not passed through from .env: ${value}`);
      }
      const appVariables = new Set(
        Object.values(environment).flatMap((value) =>
          [...String(value).matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]),
        ),
      );
      for (const secret of ['MONGO_ROOT_PASSWORD', 'MONGO_ROOT_USERNAME'])
        assert.ok(!appVariables.has(secret), `${secret} reaches the app`);
      const resolved = Object.fromEntries(
        Object.entries(environment).map(([name, value]) => [name, interpolateCompose(String(value), FIRST_START_ENV)]),
      );
      assert.ok(!Object.values(resolved).some((value) => value.includes(FIRST_START_ENV.MONGO_ROOT_PASSWORD)));
      const config = loadConfig(resolved);
      assert.equal(config.NODE_ENV, 'production', 'the README first-start .env gives a valid production configuration');
      assert.equal(config.JWT_SECRET, FIRST_START_ENV.JWT_SECRET);
    });

    it('compose requires JWT_SECRET (a production app without it exits 78), and the README first start generates it', () => {
      assert.match(String(services.app.environment.JWT_SECRET), /^\$\{JWT_SECRET:\?.+\}$/);
      const { JWT_SECRET: _, ...withoutSecret } = FIRST_START_ENV;
      assert.throws(() => interpolateCompose(String(services.app.environment.JWT_SECRET), withoutSecret), /JWT_SECRET/);
      const firstStart = operationsDoc.slice(
        operationsDoc.indexOf('## First start'),
        operationsDoc.indexOf('## Scaling'),
      );
      assert.match(firstStart, /JWT_SECRET=\$\(openssl rand -hex 32\)/);
      assert.ok(envExample.has('JWT_SECRET') && envExample.get('JWT_SECRET')?.commented === false);
    });

    it('the app trusts X-Forwarded-For from the pinned compose subnet only', () => {
      const subnets = (compose.networks?.default?.ipam?.config ?? []).map((entry: Yaml) =>
        interpolateCompose(entry.subnet, {}),
      );
      assert.equal(subnets.length, 1, 'the default network has one pinned subnet');
      assert.match(
        subnets[0],
        /^(10\.\d+\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|192\.168\.\d+\.\d+)\/(1[6-9]|2\d)$/,
      );
      const trusted = loadConfig({ TRUST_PROXY: interpolateCompose(services.app.environment.TRUST_PROXY, {}) });
      assert.deepEqual(trusted.TRUST_PROXY, subnets, 'TRUST_PROXY is the compose subnet, not uniquelocal');
      assert.equal(
        interpolateCompose(services.app.environment.TRUST_PROXY, { COMPOSE_SUBNET: '10.9.0.0/24' }),
        interpolateCompose(compose.networks.default.ipam.config[0].subnet, { COMPOSE_SUBNET: '10.9.0.0/24' }),
        'changing COMPOSE_SUBNET moves both',
      );
    });

    it('.env.example commits no secret, and .env is ignored by git and docker', () => {
      for (const [name, { value, commented }] of envExample) {
        if (/PASSWORD|TOKEN|SECRET|_KEY$/.test(name) && !commented) assert.equal(value, '', `${name} must be empty`);
      }
      for (const name of ['MONGO_ROOT_PASSWORD', 'MONGO_APP_PASSWORD', 'REDIS_PASSWORD']) {
        assert.match(readRepoFile('docker-compose.yml'), new RegExp(`\\$\\{${name}:\\?`), `${name} is required`);
      }
      assert.match(readRepoFile('.gitignore'), /^\.env$/m);
      assert.match(readRepoFile('.dockerignore'), /^\.env$/m);
    });
  });

  describe('ports', () => {
    it('the image and compose set HOST=0.0.0.0 explicitly, since an unset HOST means 127.0.0.1 in open mode', () => {
      assert.equal(defaults.HOST, '127.0.0.1', 'without HOST and without tokens the server listens on loopback only');
      assert.equal(services.app.environment.HOST, '0.0.0.0', 'the proxy reaches the replicas over the compose network');
      assert.ok(dockerfile.some((i) => i.keyword === 'ENV' && /\bHOST=0\.0\.0\.0\b/.test(i.value)));
    });

    it('the app, the image, the proxy and Prometheus agree on the app port, and the proxy serves the legacy device port', () => {
      const port = defaults.PORT;
      assert.equal(port, LEGACY_DEVICE_PORT, 'the default port is the legacy device port');
      assert.equal(Number(services.app.environment.PORT), port);
      assert.deepEqual(services.app.expose, [String(port)]);
      assert.equal(services.app.ports, undefined, 'replicas publish no host port (scaling)');
      assert.equal(services.app.container_name, undefined, 'no fixed container name (scaling)');
      assert.ok(dockerfile.some((i) => i.keyword === 'EXPOSE' && i.value === String(port)));
      assert.ok(dockerfile.some((i) => i.keyword === 'ENV' && new RegExp(`\\bPORT=${port}\\b`).test(i.value)));

      const upstream = findDirectives(nginx, 'upstream')[0]?.directive.block ?? [];
      assert.deepEqual(argsOf(upstream, 'server')[0], [`app:${port}`, 'resolve']);
      const listens = findDirectives(nginx, 'listen').map((found) => found.directive.args[0]);
      assert.ok(listens.includes('80') && listens.includes(String(LEGACY_DEVICE_PORT)), `nginx listens on ${listens}`);
      const published = (services.proxy.ports as string[]).map((entry) => entry.split(':').at(-1));
      assert.ok(
        published.includes('80') && published.includes(String(LEGACY_DEVICE_PORT)) && published.includes('443'),
      );
      assert.match(
        (services.proxy.ports as string[]).find((entry) => entry.endsWith(`:${LEGACY_DEVICE_PORT}`)) ?? '',
        new RegExp(`:-${LEGACY_DEVICE_PORT}\\}`),
        'devices reach host port 5000 by default',
      );

      const job = prometheus.scrape_configs.find((config: Yaml) => config.job_name === 'ambulance-tracking');
      assert.deepEqual(job.dns_sd_configs[0].names, ['app']);
      assert.equal(job.dns_sd_configs[0].port, port);
      assert.equal(job.metrics_path, '/metrics');
    });
  });

  describe('legacy Socket.IO port', () => {
    const LEGACY_SOCKET_PORT = 5050;
    const composeEnvironment = (env: Record<string, string>) =>
      loadConfig(
        Object.fromEntries(
          Object.entries(services.app.environment as Record<string, string>).map(([name, value]) => [
            name,
            interpolateCompose(String(value), env),
          ]),
        ),
      );

    it('compose runs the endpoint on 5050 with tokens required, and `off` in .env switches it off', () => {
      const config = composeEnvironment(FIRST_START_ENV);
      assert.equal(config.LEGACY_SOCKET_PORT, LEGACY_SOCKET_PORT, 'legacy dashboards hard-code port 5050');
      assert.equal(config.LEGACY_SOCKET_ALLOW_ANONYMOUS, false);
      assert.equal(composeEnvironment({ ...FIRST_START_ENV, LEGACY_SOCKET_PORT: 'off' }).LEGACY_SOCKET_PORT, undefined);
      assert.equal(
        composeEnvironment({ ...FIRST_START_ENV, LEGACY_SOCKET_ALLOW_ANONYMOUS: 'true' }).LEGACY_SOCKET_ALLOW_ANONYMOUS,
        true,
      );
      for (const name of CONFIG_VARIABLES.filter((variable) => variable.startsWith('LEGACY_SOCKET_')))
        assert.ok(envExample.has(name), `${name} is in .env.example`);
      assert.ok(dockerfile.some((i) => i.keyword === 'EXPOSE' && i.value === String(LEGACY_SOCKET_PORT)));
    });

    it('the proxy publishes 5050 and forwards Socket.IO there, WebSocket upgrades included, sticky for long polling', () => {
      const published = (services.proxy.ports as string[]).find((entry) => entry.endsWith(`:${LEGACY_SOCKET_PORT}`));
      assert.match(published ?? '', new RegExp(`:-${LEGACY_SOCKET_PORT}\\}:${LEGACY_SOCKET_PORT}$`));
      const server = serversOf(nginx).find((candidate) => candidate.ports.includes(String(LEGACY_SOCKET_PORT)));
      assert.ok(server, 'nginx listens on 5050');
      const location = server.block.find(
        (directive) => directive.name === 'location' && directive.args.at(-1) === `${LEGACY_SOCKET_PATH}/`,
      );
      assert.ok(location?.block, `nginx forwards ${LEGACY_SOCKET_PATH}/`);
      const upstreamName = /^http:\/\/(\w+)$/.exec(argsOf(location.block, 'proxy_pass')[0]?.[0] ?? '')?.[1];
      const upstream = findDirectives(nginx, 'upstream').find((found) => found.directive.args[0] === upstreamName);
      const pool = upstream?.directive.block ?? [];
      assert.deepEqual(argsOf(pool, 'server'), [[`app:${LEGACY_SOCKET_PORT}`, 'resolve']]);
      assert.deepEqual(
        argsOf(pool, 'hash'),
        [['$remote_addr', 'consistent']],
        'a polling session stays on its replica',
      );
      const set = new Map(argsOf(location.block, 'proxy_set_header').map(([name, value]) => [name, value]));
      assert.equal(set.get('Upgrade'), '$http_upgrade');
      assert.equal(set.get('Connection'), '$connection_upgrade');
      assert.equal(
        set.get('X-Forwarded-For'),
        '$remote_addr',
        'connections per address count dashboards, not the proxy',
      );
      assert.ok(Number.parseInt(argsOf(location.block, 'proxy_read_timeout')[0]?.[0] ?? '0', 10) >= 300);
    });
  });

  describe('health checks', () => {
    it('the image health check runs Node against /healthz, which answers 200, and fails when nothing listens', async () => {
      const healthcheck = dockerfile.find((i) => i.keyword === 'HEALTHCHECK');
      assert.ok(healthcheck);
      const command = JSON.parse(healthcheck.value.slice(healthcheck.value.indexOf('CMD') + 3).trim()) as string[];
      assert.equal(command[0], 'node', 'no curl in slim images');
      assert.match(command.join(' '), /\/healthz/);
      assert.equal((await fetch(`${app.url}/healthz`)).status, 200);
      const [executable, ...args] = command;
      const healthy = await run(executable === 'node' ? process.execPath : (executable as string), args, {
        env: { ...process.env, PORT: String(app.app.port) },
      });
      assert.equal(healthy.stderr, '');
      const closedPort = await findFreePort();
      await assert.rejects(
        run(process.execPath, args, { env: { ...process.env, PORT: String(closedPort) } }),
        (error: { code?: number }) => error.code === 1,
      );
    });

    it('MongoDB, Redis, the proxy and Prometheus have health checks that ping them', () => {
      assert.match(services.mongo.healthcheck.test.join(' '), /mongosh .*ping/);
      assert.match(services.redis.healthcheck.test.join(' '), /redis-cli ping/);
      const proxyPath = /http:\/\/127\.0\.0\.1(\/[\w-]+)/.exec(services.proxy.healthcheck.test.join(' '))?.[1];
      assert.ok(proxyPath);
      assert.deepEqual(argsOf(locationBlock(proxyPath), 'return')[0]?.[0], '200');
      assert.match(services.prometheus.healthcheck.test.join(' '), /\/-\/healthy/);
      assert.equal(services.app.healthcheck, undefined, "the app uses the image's health check");
    });

    it('the app starts after MongoDB and Redis are healthy, the proxy after the app', () => {
      assert.deepEqual(services.app.depends_on, {
        mongo: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
      assert.deepEqual(services.proxy.depends_on, { app: { condition: 'service_healthy' } });
    });
  });

  describe('services', () => {
    it('every service has a pinned image, a restart policy, resource limits and bounded logs', () => {
      for (const [name, service] of Object.entries(services)) {
        if (name !== 'app') assert.match(service.image, /^[\w./-]+:v?\d+(\.\d+)*(-[\w.]+)?$/, `${name} image pinned`);
        assert.ok(['unless-stopped', 'always'].includes(service.restart), `${name} restart policy`);
        assert.ok(service.deploy?.resources?.limits?.cpus, `${name} cpu limit`);
        assert.ok(service.deploy?.resources?.limits?.memory, `${name} memory limit`);
        assert.equal(service.logging?.options?.['max-size'], '20m', `${name} log rotation`);
      }
      assert.equal(services.app.build, '.');
      assert.deepEqual(services.prometheus.profiles, ['monitoring']);
    });

    it('Docker waits longer than the shutdown grace period before killing a replica', () => {
      const stopSeconds = Number(/^(\d+)s$/.exec(services.app.stop_grace_period)?.[1]);
      const configured = Number(envExample.get('SHUTDOWN_GRACE_SECONDS')?.value ?? defaults.SHUTDOWN_GRACE_SECONDS);
      assert.ok(stopSeconds > defaults.SHUTDOWN_GRACE_SECONDS, `${stopSeconds}s`);
      assert.ok(stopSeconds > configured);
    });

    it('named volumes keep MongoDB, Redis and the uploads; the app writes uploads where UPLOAD_DIR says, the proxy reads them', () => {
      const declared = Object.keys(compose.volumes);
      assert.ok(volumesOf('mongo').some((v) => v.target === '/data/db' && declared.includes(v.source)));
      assert.ok(volumesOf('redis').some((v) => v.target === '/data' && declared.includes(v.source)));
      assert.match(services.redis.command.join(' '), /--appendonly yes/);
      const uploadDir = services.app.environment.UPLOAD_DIR;
      const appUploads = volumesOf('app').find((v) => v.target === uploadDir);
      assert.ok(appUploads && declared.includes(appUploads.source) && !appUploads.readOnly);
      assert.ok(dockerfile.some((i) => i.keyword === 'RUN' && i.value.includes(`chown node:node ${uploadDir}`)));
      // Images go through the app, which checks their signed URLs; the proxy cannot serve them itself.
      assert.ok(
        !volumesOf('proxy').some((v) => v.source === appUploads.source),
        'the proxy does not mount the uploads',
      );
      assert.deepEqual(argsOf(locationBlock('/uploads/'), 'alias'), []);
      assert.deepEqual(argsOf(locationBlock('/uploads/'), 'proxy_pass'), [['http://app_servers']]);
      for (const script of ['scripts/backup.sh', 'scripts/restore.sh']) {
        assert.match(readRepoFile(script), new RegExp(`UPLOAD_DIR=${uploadDir}\\n`), `${script} archives ${uploadDir}`);
      }
    });
  });

  describe('proxy', () => {
    it('balances the replicas through Docker DNS and carries request ids and client addresses', () => {
      const resolver = findDirectives(nginx, 'resolver')[0]?.directive.args ?? [];
      assert.equal(resolver[0], '127.0.0.11');
      assert.ok(resolver.some((arg) => /^valid=\d+s$/.test(arg)));
    });

    it('every proxied location, in every server, sends Host, X-Request-Id, X-Forwarded-For and X-Forwarded-Proto', () => {
      // nginx inherits proxy_set_header only into a location that sets none itself, so check each location.
      let proxied = 0;
      for (const server of serversOf(nginxWithTls)) {
        for (const found of findDirectives(server.block, 'proxy_pass')) {
          const location = found.ancestors.at(-1);
          assert.equal(location?.name, 'location');
          const set = new Map(argsOf(location.block ?? [], 'proxy_set_header').map(([name, value]) => [name, value]));
          const where = `location ${location.args.join(' ')} on ${server.ports.join(',')}`;
          for (const header of [...PROXY_HEADERS, 'Connection']) assert.ok(set.has(header), `${where} lacks ${header}`);
          // Overwritten, never appended to: the app believes this header from the proxy (TRUST_PROXY).
          assert.equal(set.get('X-Forwarded-For'), '$remote_addr', where);
          assert.equal(set.get('X-Forwarded-Proto'), '$scheme', where);
          assert.equal(set.get('X-Request-Id'), '$aoc_request_id', where);
          proxied += 1;
        }
      }
      assert.ok(proxied >= 12, `${proxied} proxied locations in three servers`);
      const hostMap = findDirectives(nginx, 'map').find((found) => found.directive.args[1] === '$aoc_forwarded_host');
      assert.equal(hostMap?.directive.args[0], '$http_host', 'Host keeps the port the browser used (Origin check)');
      assert.equal(
        findDirectives(nginx, 'proxy_set_header').filter((f) => f.directive.args[1] === '$proxy_add_x_forwarded_for')
          .length,
        0,
      );
    });

    it('once TLS is on, port 80 redirects everything but device posts to HTTPS, port 5000 stays plain, HSTS everywhere', () => {
      const byPort = (tree: readonly NginxDirective[], port: string) => {
        const server = serversOf(tree).find((candidate) => candidate.ports.includes(port));
        assert.ok(server, `a server listens on ${port}`);
        return server.block;
      };
      const redirectOf = (block: readonly NginxDirective[]) => block.find((directive) => directive.name === 'if');
      assert.equal(redirectOf(byPort(nginx, '80')), undefined, 'without TLS, port 80 serves everything');
      const redirect = redirectOf(byPort(nginxWithTls, '80'));
      assert.deepEqual(redirect?.args, ['($aoc_plain_http_path', '=', '0)']);
      assert.deepEqual(argsOf(redirect?.block ?? [], 'return'), [['308', 'https://$host$request_uri']]);
      const plainPaths = findDirectives(nginx, 'map').find(
        (found) => found.directive.args[1] === '$aoc_plain_http_path',
      );
      assert.equal(plainPaths?.directive.args[0], '$uri');
      const plain = (uri: string) => evaluateNginxMap(plainPaths?.directive.block ?? [], uri) === '1';
      for (const uri of [
        '/',
        '/graphql',
        '/dashboard/',
        '/uploads/ambulance_images/1/a.jpg',
        '/error_codes',
        '/readyz',
      ])
        assert.equal(plain(uri), false, `${uri} is redirected`);
      for (const uri of ['/api/tracking/postAmbulanceTracking', '/proxy-health']) assert.equal(plain(uri), true, uri);
      assert.equal(redirectOf(byPort(nginxWithTls, String(LEGACY_DEVICE_PORT))), undefined, 'devices: plain HTTP');

      const tls = byPort(nginxWithTls, '443');
      const hsts = (block: readonly NginxDirective[]) =>
        argsOf(block, 'add_header').some(([name]) => name === 'Strict-Transport-Security');
      assert.ok(hsts(tls), 'the TLS server sends HSTS');
      for (const found of findDirectives(tls, 'location')) {
        const block = found.directive.block ?? [];
        if (argsOf(block, 'add_header').length > 0)
          assert.ok(hsts(block), `location ${found.directive.args.join(' ')} adds headers, so it must repeat HSTS`);
      }
      assert.match(readRepoFile('.gitignore'), /^deploy\/nginx\/tls\/http-redirect\.conf$/m);
    });

    it('upgrades WebSockets on /graphql with long timeouts', () => {
      const graphql = locationBlock('/graphql');
      assert.deepEqual(argsOf(graphql, 'proxy_pass'), [['http://app_servers']]);
      const set = new Map(argsOf(graphql, 'proxy_set_header').map(([name, value]) => [name, value]));
      assert.equal(set.get('Upgrade'), '$http_upgrade');
      assert.equal(set.get('Connection'), '$connection_upgrade');
      assert.ok(Number.parseInt(argsOf(graphql, 'proxy_read_timeout')[0]?.[0] ?? '0', 10) >= 300);
    });

    it('never exposes /metrics, and accepts uploads as large as the app does', () => {
      const metrics = locationBlock('/metrics');
      assert.deepEqual(argsOf(metrics, 'return'), [['404']]);
      assert.deepEqual(argsOf(metrics, 'proxy_pass'), []);
      const bodySize = findDirectives(nginx, 'client_max_body_size')[0]?.directive.args[0] ?? '0';
      const bytes = Number.parseInt(bodySize, 10) * (bodySize.endsWith('m') ? 1024 * 1024 : 1);
      assert.ok(bytes >= defaults.UPLOAD_MAX_FILES * defaults.UPLOAD_MAX_FILE_BYTES, `${bodySize} is too small`);
    });
  });

  describe('Prometheus', () => {
    it('alert rules use metrics the app really exports', async () => {
      // Request counters have series once a device has called.
      assert.equal((await postFields(`${app.url}${ENDPOINTS.tracking}`, trackingFields('DEP1'))).status, 200);
      const exported = new Set(
        (await scrape(app.url)).map((sample) => sample.name.replace(/_(bucket|sum|count)$/, '')),
      );
      const rules: Yaml = parseYaml(readRepoFile('deploy/prometheus/alerts.yml'));
      const expressions: string[] = rules.groups.flatMap((group: Yaml) => group.rules.map((rule: Yaml) => rule.expr));
      const used = new Set(
        expressions.flatMap((expr) =>
          [...expr.matchAll(/\b((?:aoc|process|nodejs)_[a-z_]+)/g)].map((m) => m[1] as string),
        ),
      );
      assert.ok(used.size >= 5);
      for (const name of used)
        assert.ok(exported.has(name.replace(/_(bucket|sum|count)$/, '')), `${name} is not exported`);
      assert.deepEqual(prometheus.rule_files, ['/etc/prometheus/alerts.yml']);
      assert.ok(
        volumesOf('prometheus').some((v) => v.target === '/etc/prometheus' && v.source === './deploy/prometheus'),
      );
    });
  });

  describe('Dockerfile', () => {
    it("caps V8's old generation inside the app's memory limit, leaving 128 MB for the rest of the process", () => {
      const nodeOptions = dockerfile
        .filter((i) => i.keyword === 'ENV')
        .map((i) => /\bNODE_OPTIONS="([^"]*)"/.exec(i.value)?.[1])
        .find((value) => value !== undefined);
      const capMb = Number(/--max-old-space-size=(\d+)\b/.exec(nodeOptions ?? '')?.[1]);
      assert.ok(capMb > 0, `the image sets NODE_OPTIONS=--max-old-space-size (found ${nodeOptions})`);
      const limit = /^(\d+)([mg])$/.exec(String(services.app.deploy.resources.limits.memory));
      assert.ok(limit, `the app's memory limit ${services.app.deploy.resources.limits.memory} in m or g`);
      const limitMb = Number(limit[1]) * (limit[2] === 'g' ? 1024 : 1);
      assert.ok(capMb + 128 <= limitMb, `old generation ${capMb} MB + 128 MB within the ${limitMb} MB limit`);
      assert.match(operationsDoc, new RegExp(`--max-old-space-size=${capMb}\\b`), 'docs/operations.md names the cap');
    });

    it('builds in stages and runs the compiled server as a non-root user, in exec form, with production dependencies only', () => {
      const stages = dockerfile.filter((i) => i.keyword === 'FROM');
      assert.ok(stages.length >= 2, 'multi-stage');
      const final = stages.length - 1;
      const inFinal = dockerfile.filter((i) => i.stage === final);
      const buildArgs = new Map(
        dockerfile
          .filter((i) => i.keyword === 'ARG' && i.value.includes('='))
          .map((i) => i.value.split('=') as [string, string]),
      );
      const baseImage = (stages[final]?.value.split(/\s+/)[0] ?? '').replace(
        /^\$\{(\w+)\}$/,
        (_, name: string) => buildArgs.get(name) ?? '',
      );
      assert.match(baseImage, /^node:\d+[\w.-]*-slim$/);
      const user = inFinal.find((i) => i.keyword === 'USER')?.value;
      assert.ok(user && user !== 'root' && user !== '0', 'runs as a non-root user');
      assert.ok(inFinal.some((i) => i.keyword === 'HEALTHCHECK'));
      assert.equal(inFinal.find((i) => i.keyword === 'STOPSIGNAL')?.value, 'SIGTERM');
      const command = JSON.parse(inFinal.find((i) => i.keyword === 'CMD')?.value ?? 'null') as string[];
      assert.ok(!command.some((arg) => arg.startsWith('--max-old-space-size')), 'NODE_OPTIONS can change the cap');
      assert.deepEqual(
        command,
        ['node', '--max-semi-space-size=4', 'dist/src/main.js'],
        'exec form: signals reach Node',
      );
      assert.ok(
        existsSync(path.join(REPO_ROOT, ...(command.at(-1) as string).split('/'))),
        'the command runs the built server',
      );
      assert.ok(
        !inFinal.some((i) => i.keyword === 'RUN' && /npm (install|ci)/.test(i.value)),
        'nothing installed at run time',
      );
      const modules = inFinal.find((i) => i.keyword === 'COPY' && i.value.includes('node_modules'));
      const from = /--from=(\S+)/.exec(modules?.value ?? '')?.[1];
      const depsStage = dockerfile.find((i) => i.keyword === 'FROM' && i.value.endsWith(` AS ${from}`))?.stage;
      assert.ok(
        dockerfile.some((i) => i.stage === depsStage && i.keyword === 'RUN' && i.value.includes('--omit=dev')),
        'runtime node_modules come from a production-only install',
      );
    });

    it('the build context has what tsconfig compiles for the image and leaves out local state', () => {
      const copied = dockerfile.filter((i) => i.keyword === 'COPY' && !i.value.includes('--from')).map((i) => i.value);
      // client/ holds the dashboard that `npm run build` bundles (and pure logic tsconfig compiles).
      for (const needed of ['package.json', 'package-lock.json', 'tsconfig.json', 'src', 'scripts', 'client']) {
        assert.ok(
          copied.some((value) => value.split(/\s+/).includes(needed)),
          `COPY ${needed}`,
        );
      }
      const runtimeCopies = dockerfile.filter((i) => i.keyword === 'COPY' && i.value.includes('--from=build'));
      assert.ok(
        runtimeCopies.some((i) => i.value.includes(path.relative(REPO_ROOT, DEFAULT_DASHBOARD_DIR))),
        'the image carries the built dashboard where the server looks for it',
      );
      const ignored = readRepoFile('.dockerignore').split('\n');
      for (const entry of ['node_modules', 'dist', '.git', 'data', 'uploads', 'backups'])
        assert.ok(ignored.includes(entry), entry);
    });
  });

  describe('docs/operations.md', () => {
    it('has a deployment and operations document with the commands an operator needs', () => {
      const start = operationsDoc.indexOf('# Deployment and operations');
      assert.ok(start >= 0);
      const section = operationsDoc.slice(start);
      for (const text of [
        'cp .env.example .env',
        'docker compose up -d',
        '--scale app=',
        '--profile monitoring',
        'scripts/backup.sh',
        'scripts/restore.sh',
        'history:export',
        'history:import',
        '/healthz',
        '/readyz',
        '/metrics',
        'APP_IMAGE',
      ]) {
        assert.ok(section.includes(text), `docs/operations.md mentions ${text}`);
      }
    });
  });
});
