import { createHmac, timingSafeEqual } from 'node:crypto';
import { UploadUrlCode } from '../errors/error.codes.js';

/** Signing keys are derived from the configured secret, so a JWT_SECRET that signs tokens never signs URLs itself. */
const KEY_PURPOSE = 'aoc upload url v1';
/** Expiry times are rounded up to this step, so one image keeps one URL for a while and browsers cache it. */
const EXPIRY_STEP_SECONDS = 60;

export type UploadUrlCheck =
  | { readonly ok: true; readonly remainingSeconds: number }
  | {
      readonly ok: false;
      readonly code: UploadUrlCode;
      readonly message: string;
    };

export interface UploadUrlSettings {
  readonly JWT_SECRET?: string | undefined;
  readonly UPLOAD_URL_SECRET?: string | undefined;
  readonly UPLOAD_URL_TTL_SECONDS: number;
}

/**
 * Signs `/uploads/...` paths as `?expires=<unix seconds>&signature=<base64url HMAC-SHA256 of path and expiry>`
 * and checks such URLs. The path is signed exactly as it appears in the URL (percent-encoded).
 */
export class UploadUrlSigner {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.key = createHmac('sha256', secret).update(KEY_PURPOSE).digest();
  }

  /** A signer from UPLOAD_URL_SECRET, else JWT_SECRET; null when neither is set (open mode: URLs unsigned). */
  static fromConfig(config: UploadUrlSettings): UploadUrlSigner | null {
    const secret = config.UPLOAD_URL_SECRET ?? config.JWT_SECRET;
    return secret ? new UploadUrlSigner(secret, config.UPLOAD_URL_TTL_SECONDS) : null;
  }

  sign(path: string): string {
    const expires = Math.ceil((this.nowSeconds() + this.ttlSeconds) / EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS;
    return `${path}?expires=${expires}&signature=${this.signatureOf(path, expires)}`;
  }

  check(path: string, expires: unknown, signature: unknown): UploadUrlCheck {
    if (expires === undefined && signature === undefined) {
      return {
        ok: false,
        code: UploadUrlCode.Unsigned,
        message: 'Images need a signed URL: take the url field of a Snapshot image from the GraphQL API.',
      };
    }
    if (typeof expires !== 'string' || !/^\d{1,12}$/.test(expires) || typeof signature !== 'string') {
      return invalid;
    }
    const given = Buffer.from(signature, 'base64url');
    const expected = Buffer.from(this.signatureOf(path, Number(expires)), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return invalid;
    const remainingSeconds = Number(expires) - this.nowSeconds();
    if (remainingSeconds <= 0) {
      return {
        ok: false,
        code: UploadUrlCode.Expired,
        message: 'This image URL has expired: query the snapshot again for a fresh url.',
      };
    }
    return { ok: true, remainingSeconds };
  }

  private signatureOf(path: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${path}\n${expires}`).digest('base64url');
  }
}

const invalid: UploadUrlCheck = {
  ok: false,
  code: UploadUrlCode.Invalid,
  message: 'This image URL has a bad or tampered signature: use the url field exactly as the GraphQL API returned it.',
};
