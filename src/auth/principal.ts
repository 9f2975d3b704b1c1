/** What a token may do: dispatchers everything, partners read, devices upload. */
export const Role = {
  Dispatcher: 'dispatcher',
  Partner: 'partner',
  Device: 'device',
} as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ROLES: readonly Role[] = Object.values(Role);

export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);

/** Who is calling, as established from a verified token (or the open-mode stand-in). */
export interface Principal {
  readonly role: Role;
  /** The ambulance ids the caller may see or act on; null when the token lists none (every ambulance). */
  readonly ambulances: ReadonlySet<string> | null;
  /** The token's `sub`, for logs; never the token itself. */
  readonly subject: string | null;
  /** When the token stops being valid (epoch ms), or null when it never does (open mode). */
  readonly expiresAt: number | null;
  /** True when the server runs without authentication and every caller is treated as a dispatcher. */
  readonly open: boolean;
}

/** The principal of every caller when no JWT secret or JWKS is configured (development and tests only). */
export const OPEN_MODE_PRINCIPAL: Principal = Object.freeze({
  role: Role.Dispatcher,
  ambulances: null,
  subject: null,
  expiresAt: null,
  open: true,
});

export function mayAccessAmbulance(principal: Principal, ambulanceId: string): boolean {
  return principal.ambulances === null || principal.ambulances.has(ambulanceId);
}

/**
 * A stable text form of everything authorisation decides on (role and ambulance scope): callers with the same
 * key may see exactly the same events, so only they may share a subscription's execution.
 */
export function authorizationKeyOf(principal: Principal): string {
  const scope = principal.ambulances === null ? '*' : [...principal.ambulances].sort().join(',');
  return `role:${principal.role};ambulances:${scope}`;
}
