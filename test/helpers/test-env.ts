import { randomBytes } from 'node:crypto';

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run the tests with "npm test", which starts FerretDB and finds Redis`);
  return value;
}

/** Addresses of the real servers `npm test` started (scripts/run-tests.ts). */
export const testEnv = {
  get mongoUri() {
    return required('TEST_MONGODB_URI');
  },
  get redisUrl() {
    return required('TEST_REDIS_URL');
  },
  get ferretdbBin() {
    return required('FERRETDB_BIN');
  },
};

/** A name unique to this run, for databases and channel prefixes, so test files never see each other's data. */
export function uniqueName(label: string): string {
  return `${label.replace(/[^A-Za-z0-9]/g, '_')}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export async function waitUntil<T>(
  probe: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 20, message = 'condition' } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
