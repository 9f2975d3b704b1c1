import { z } from 'zod';
import { optionalString, positiveInt, wholeNumber } from './env.fields.js';

/** The optional legacy Socket.IO endpoint for unmodified dashboards (docs/legacy-socket.md). */
export const legacySocketEnv = {
  /** Unset or `off`: the endpoint is off. Legacy dashboards hard-code 5050. */
  LEGACY_SOCKET_PORT: optionalString.pipe(
    z
      .string()
      .regex(/^(\d+|off)$/, 'must be a port number (legacy dashboards use 5050) or off')
      .transform((value) => (value === 'off' ? undefined : Number(value)))
      .pipe(z.number().max(65535).optional())
      .optional(),
  ),
  LEGACY_SOCKET_ALLOW_ANONYMOUS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  LEGACY_SOCKET_MAX_ROOMS_PER_SOCKET: positiveInt(200),
  LEGACY_SOCKET_MAX_CONNECTIONS_PER_ADDRESS: positiveInt(50),
  LEGACY_SOCKET_MAX_MESSAGE_BYTES: wholeNumber(16 * 1024, 1024, 1024 * 1024),
  LEGACY_SOCKET_MAX_PENDING_MESSAGES: positiveInt(1000),
};

interface LegacySocketSettings {
  readonly PORT: number;
  readonly LEGACY_SOCKET_PORT?: number | undefined;
  readonly LEGACY_SOCKET_ALLOW_ANONYMOUS: boolean;
  readonly JWT_SECRET?: string | undefined;
  readonly JWT_JWKS_URL?: string | undefined;
}

/** Rules across variables; returns what to fix, or null. */
export function checkLegacySocketConfig(config: LegacySocketSettings): string | null {
  if (config.LEGACY_SOCKET_PORT === undefined) return null;
  if (config.LEGACY_SOCKET_PORT !== 0 && config.LEGACY_SOCKET_PORT === config.PORT) {
    return `LEGACY_SOCKET_PORT and PORT are both ${config.PORT}: the legacy Socket.IO endpoint needs a port of its own (legacy dashboards use 5050)`;
  }
  if (!config.LEGACY_SOCKET_ALLOW_ANONYMOUS && !config.JWT_SECRET && !config.JWT_JWKS_URL) {
    return (
      'LEGACY_SOCKET_PORT is set but neither JWT_SECRET nor JWT_JWKS_URL is, so the legacy Socket.IO endpoint ' +
      'could not check tokens and would run without them. Set JWT_SECRET (dashboards then connect with a token), ' +
      'or set LEGACY_SOCKET_ALLOW_ANONYMOUS=true to accept unmodified dashboards without tokens. See docs/legacy-socket.md.'
    );
  }
  return null;
}
