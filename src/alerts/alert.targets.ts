import { createHash } from 'node:crypto';
import type { WebhookTarget } from '../domain/alert.routes.js';

/** A configured webhook with the key its outbox documents carry. */
export interface KeyedTarget extends WebhookTarget {
  /** Hash of the URL: stable across restarts and instances, and no credentials in the database. */
  readonly key: string;
  /** The URL without credentials or query, for logs and people reading the outbox. */
  readonly destination: string;
}

export function keyedTargets(targets: readonly WebhookTarget[]): KeyedTarget[] {
  return targets.map((target) => {
    const url = new URL(target.url);
    return {
      ...target,
      key: createHash('sha256').update(target.url).digest('hex').slice(0, 16),
      destination: `${url.origin}${url.pathname}`,
    };
  });
}
