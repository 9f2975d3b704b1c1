import { createHmac, timingSafeEqual } from 'node:crypto';

/** `X-Signature`: HMAC-SHA256 of the raw body bytes with ALERT_WEBHOOK_SECRET, lower-case hex. */
export function signatureOf(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

/** What a receiver does (docs/alerts.md), in constant time. */
export function verifySignature(body: string, signature: string, secret: string): boolean {
  const expected = Buffer.from(signatureOf(body, secret), 'hex');
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
