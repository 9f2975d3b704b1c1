import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface GraphQLResponse<Data = Record<string, unknown>> {
  readonly status: number;
  readonly data?: Data;
  readonly errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: unknown[] }>;
}

export async function graphqlRequest<Data = Record<string, unknown>>(
  graphqlUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<Data>> {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<Data>, 'status'>;
  return { status: response.status, ...body };
}

export interface Subscription<Item> {
  readonly items: Item[];
  readonly errors: unknown[];
  /** Resolves when at least `count` items have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<Item[]>;
  readonly completed: Promise<void>;
  dispose(): void;
}

export function wsClient(
  wsUrl: string,
  options: { retryAttempts?: number; connectionParams?: Record<string, unknown> } = {},
): Client {
  return createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: options.retryAttempts ?? 0,
    lazy: true,
    ...(options.connectionParams ? { connectionParams: options.connectionParams } : {}),
  });
}

/** Subscribes over a real graphql-ws connection and collects what arrives. */
export function subscribe<Item = Record<string, unknown>>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Subscription<Item> {
  const items: Item[] = [];
  const errors: unknown[] = [];
  const waiters: Array<() => void> = [];
  let resolveCompleted: () => void = () => {};
  const completed = new Promise<void>((resolve) => {
    resolveCompleted = resolve;
  });
  const dispose = client.subscribe<Record<string, unknown>>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) errors.push(...result.errors);
        if (result.data) {
          const [first] = Object.values(result.data);
          items.push(first as Item);
        }
        for (const waiter of waiters.splice(0)) waiter();
      },
      error: (error) => {
        errors.push(error);
        for (const waiter of waiters.splice(0)) waiter();
        resolveCompleted();
      },
      complete: () => resolveCompleted(),
    },
  );
  return {
    items,
    errors,
    completed,
    dispose,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (items.length < count) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          throw new Error(`expected ${count} events, got ${items.length}; errors: ${JSON.stringify(errors)}`);
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, remaining);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return items;
    },
  };
}
