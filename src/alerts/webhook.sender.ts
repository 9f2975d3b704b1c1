import type { AttemptOutcome } from './alert.metrics.js';
import { signatureOf } from './webhook.signature.js';

export interface WebhookRequest {
  readonly url: string;
  readonly body: string;
  readonly idempotencyKey: string;
  readonly kind: string;
  readonly attempt: number;
  readonly secret: string;
  readonly timeoutMs: number;
  /** Aborts the request at shutdown. */
  readonly signal: AbortSignal;
}

export interface WebhookResult {
  readonly outcome: AttemptOutcome;
  readonly status: number | null;
  /** Why it failed, for the outbox and the logs; never the URL's query or the secret. */
  readonly error: string | null;
}

/** One POST; 2xx is success, anything else (redirects included, they are not followed) a failure to retry. */
export async function sendWebhook(request: WebhookRequest): Promise<WebhookResult> {
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.any([request.signal, AbortSignal.timeout(request.timeoutMs)]),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'ambulance-tracking-alerts/1',
        'idempotency-key': request.idempotencyKey,
        'x-signature': signatureOf(request.body, request.secret),
        'x-alert-kind': request.kind,
        'x-alert-attempt': String(request.attempt),
      },
    });
    // The answer's body is not needed; reading it frees the connection for reuse.
    await response.arrayBuffer().catch(() => undefined);
    if (response.status >= 200 && response.status < 300)
      return { outcome: 'success', status: response.status, error: null };
    return { outcome: 'http_error', status: response.status, error: `HTTP ${response.status}` };
  } catch (error) {
    if (request.signal.aborted) return { outcome: 'aborted', status: null, error: 'aborted at shutdown' };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${request.timeoutMs} ms`
        : (cause?.code ?? cause?.message ?? (error as Error).message);
    return { outcome: 'network_error', status: null, error: reason };
  }
}
