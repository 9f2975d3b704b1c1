/**
 * Issues and inspects bearer tokens for operators. The secret, issuer and audience come from the same
 * environment variables the server reads (JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE); a token is never logged.
 *
 *   npm run token -- --role partner --ambulances 332,333 --expires-in 1h [--subject acme-ambulance-co]
 *   npm run token -- --inspect <jwt>
 */
import { parseArgs } from 'node:util';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { AuthenticationFailure } from '../src/auth/auth.errors.js';
import { Authenticator } from '../src/auth/authenticator.js';
import { issueToken, TokenRequestError, tokenRequestOf } from '../src/auth/token.issuer.js';
import { ConfigError, loadConfig } from '../src/config/env.config.js';

const USAGE = `usage:
  npm run token -- --role dispatcher|partner|device [--ambulances 332,333] [--expires-in 1h] [--subject name]
  npm run token -- --inspect <jwt>
JWT_SECRET (and JWT_ISSUER / JWT_AUDIENCE when the server checks them) must be set as for the server.`;

class UsageError extends Error {}

async function inspect(token: string, authenticator: Authenticator): Promise<number> {
  let header: unknown;
  let payload: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token);
    payload = decodeJwt(token);
  } catch {
    throw new UsageError('--inspect: this is not a JWT');
  }
  const report: Record<string, unknown> = { header, payload };
  if (typeof payload.exp === 'number') report.expiresAt = new Date(payload.exp * 1000).toISOString();
  let code = 0;
  if (authenticator.open) {
    report.verified = false;
    report.reason = 'JWT_SECRET / JWT_JWKS_URL not set: the signature was not checked';
    code = 2;
  } else {
    try {
      const principal = await authenticator.verify(token);
      report.verified = true;
      report.role = principal.role;
      report.ambulances = principal.ambulances ? [...principal.ambulances] : 'all';
    } catch (error) {
      if (!(error instanceof AuthenticationFailure)) throw error;
      report.verified = false;
      report.reason = error.message;
      code = 2;
    }
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return code;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      ambulances: { type: 'string' },
      'expires-in': { type: 'string' },
      subject: { type: 'string' },
      inspect: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig();
  const authenticator = new Authenticator({
    secret: config.JWT_SECRET,
    jwksUrl: config.JWT_JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    clockToleranceSeconds: config.JWT_CLOCK_TOLERANCE_SECONDS,
    maxTokenLifetimeSeconds: config.JWT_MAX_TOKEN_LIFETIME_SECONDS,
  });
  if (values.inspect !== undefined) return inspect(values.inspect, authenticator);
  if (!config.JWT_SECRET) {
    throw new UsageError(
      "JWT_SECRET is not set: set it to the server's secret to issue tokens (with JWT_JWKS_URL alone, tokens come from your identity provider)",
    );
  }
  const request = tokenRequestOf({
    role: values.role,
    ambulances: values.ambulances,
    subject: values.subject,
    expiresIn: values['expires-in'],
  });
  const token = await issueToken(config.JWT_SECRET, {
    ...request,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    maxLifetimeSeconds: config.JWT_MAX_TOKEN_LIFETIME_SECONDS,
  });
  process.stdout.write(`${token}\n`);
  return 0;
}

const isUsageProblem = (error: unknown) =>
  error instanceof UsageError ||
  error instanceof TokenRequestError ||
  error instanceof ConfigError ||
  String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    if (isUsageProblem(error)) {
      process.stderr.write(`${message}\n${USAGE}\n`);
      process.exit(64);
    }
    process.stderr.write(`token: ${message}\n`);
    process.exit(1);
  },
);
