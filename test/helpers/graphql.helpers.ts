/** Helpers for GraphQL integration tests: multipart uploads, database round-trip counting, paging. */
import type { TestApp } from './test-app.js';

export interface MultipartFile {
  readonly data: Uint8Array;
  readonly name?: string;
  readonly type?: string;
}

export interface MultipartResult {
  readonly status: number;
  readonly text: string;
  readonly body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  } | null;
}

/**
 * Sends a GraphQL multipart request (graphql-multipart-request-spec): `operations`, then `map`,
 * then one form part per file. `files[i]` is mapped to `variables.<variable>.<i>`.
 */
export async function graphqlMultipart(
  graphqlUrl: string,
  query: string,
  variables: Record<string, unknown>,
  variable: string,
  files: readonly MultipartFile[],
  headers: Record<string, string> = { 'Apollo-Require-Preflight': 'true' },
): Promise<MultipartResult> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query, variables: { ...variables, [variable]: files.map(() => null) } }));
  form.append(
    'map',
    JSON.stringify(Object.fromEntries(files.map((_, index) => [String(index), [`variables.${variable}.${index}`]]))),
  );
  files.forEach((file, index) => {
    form.append(
      String(index),
      new Blob([file.data], { type: file.type ?? 'image/png' }),
      file.name ?? `file${index}.png`,
    );
  });
  const response = await fetch(graphqlUrl, { method: 'POST', body: form, headers });
  const text = await response.text();
  let body: MultipartResult['body'] = null;
  try {
    body = JSON.parse(text) as MultipartResult['body'];
  } catch {
    // not JSON
  }
  return { status: response.status, text, body };
}

const READ_COMMANDS = new Set(['find', 'aggregate', 'count', 'distinct', 'getMore']);

export interface CommandCounter {
  /** `<command>:<collection>` of every read command sent to this app's database since start. */
  readonly commands: string[];
  stop(): void;
}

/** Counts read round trips the app sends to its own database, via the driver's command monitoring. */
export function countReadCommands(app: TestApp): CommandCounter {
  const client = app.app.connection.getClient();
  const commands: string[] = [];
  const listener = (event: { commandName: string; databaseName: string; command: Record<string, unknown> }) => {
    if (event.databaseName !== app.database || !READ_COMMANDS.has(event.commandName)) return;
    commands.push(`${event.commandName}:${String(event.command[event.commandName])}`);
  };
  client.on('commandStarted', listener);
  return {
    commands,
    stop: () => {
      client.off('commandStarted', listener);
    },
  };
}

/** Runs `fn` and returns the read commands it caused. */
export async function readCommandsDuring<T>(
  app: TestApp,
  fn: () => Promise<T>,
): Promise<{ result: T; commands: string[] }> {
  const counter = countReadCommands(app);
  try {
    const result = await fn();
    return { result, commands: [...counter.commands] };
  } finally {
    counter.stop();
  }
}

/** Runs `tasks` in consecutive groups of `size` concurrent calls. */
export async function inBatches<T>(count: number, size: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += size) {
    const group = Array.from({ length: Math.min(size, count - start) }, (_, offset) => task(start + offset));
    results.push(...(await Promise.all(group)));
  }
  return results;
}

/** Every error object of a GraphQL response body, for checks that apply to all of them. */
export function errorsOf(body: unknown): Array<{ message: string; extensions?: Record<string, unknown> }> {
  const errors = (body as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) ? (errors as Array<{ message: string; extensions?: Record<string, unknown> }>) : [];
}
