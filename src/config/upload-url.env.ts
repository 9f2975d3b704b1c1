import { z } from 'zod';
import { optionalString, wholeNumber } from './env.fields.js';

/** Signed, expiring image URLs (docs/security.md, stored images). */
export const uploadUrlEnv = {
  UPLOAD_URL_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  UPLOAD_URL_TTL_SECONDS: wholeNumber(3600, 60, 7 * 24 * 3600),
};

interface UploadUrlSettings {
  readonly NODE_ENV: string;
  readonly JWT_SECRET?: string | undefined;
  readonly UPLOAD_URL_SECRET?: string | undefined;
}

/** Production never serves images to anyone who guesses a path: some key must sign their URLs. */
export function checkUploadUrlConfig(config: UploadUrlSettings): string | null {
  if (config.NODE_ENV === 'production' && !config.JWT_SECRET && !config.UPLOAD_URL_SECRET) {
    return (
      'NODE_ENV is production but neither UPLOAD_URL_SECRET nor JWT_SECRET is set, so stored images would be ' +
      'public. Set UPLOAD_URL_SECRET to a random secret of at least 32 characters (openssl rand -hex 32). ' +
      'See docs/security.md.'
    );
  }
  return null;
}
