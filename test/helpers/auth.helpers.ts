import type { Role } from '../../src/auth/principal.js';
import { issueToken } from '../../src/auth/token.issuer.js';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app.js';

/** The secret of apps started with startSecuredTestApp (tests only). */
export const TEST_JWT_SECRET = 'test-suite-secret-0123456789abcdefghijklmnop';

export interface TestTokenOptions {
  readonly ambulances?: readonly string[];
  /** Seconds from now (negative for an expired token), or a jose time span. */
  readonly expiresIn?: number | string;
  readonly subject?: string;
  readonly secret?: string;
}

/** A token signed as `npm run token` signs them. */
export function mintToken(role: Role, options: TestTokenOptions = {}): Promise<string> {
  return issueToken(options.secret ?? TEST_JWT_SECRET, {
    role,
    ambulances: options.ambulances,
    subject: options.subject,
    expiresIn: options.expiresIn ?? 3600,
  });
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** startTestApp with authentication on (JWT_SECRET set), so every GraphQL caller needs a token. */
export function startSecuredTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  return startTestApp({ ...options, env: { JWT_SECRET: TEST_JWT_SECRET, ...options.env } });
}
