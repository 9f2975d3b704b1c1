import type { JWTPayload } from 'jose';
import { isValidAmbulanceId } from '../domain/ambulance-id.js';
import { AuthenticationFailure } from './auth.errors.js';
import { isRole, type Principal, ROLES } from './principal.js';

/** More ids than any fleet has; a bound on the work a token can cause. */
export const MAX_SCOPED_AMBULANCES = 10_000;

/**
 * The principal a verified token stands for. `role` must be one of the roles; `ambulances`, when
 * present, a list of ambulance ids (an empty list allows none).
 */
export function principalFromClaims(payload: JWTPayload): Principal {
  const { role, ambulances } = payload as { role?: unknown; ambulances?: unknown };
  if (!isRole(role)) throw new AuthenticationFailure(`token claim "role" must be one of ${ROLES.join(', ')}`);
  let scope: Set<string> | null = null;
  if (ambulances !== undefined) {
    if (
      !Array.isArray(ambulances) ||
      ambulances.length > MAX_SCOPED_AMBULANCES ||
      !ambulances.every((id) => typeof id === 'string' && isValidAmbulanceId(id))
    ) {
      throw new AuthenticationFailure('token claim "ambulances" must be a list of ambulance ids such as ["332"]');
    }
    scope = new Set(ambulances as string[]);
  }
  return {
    role,
    ambulances: scope,
    subject: typeof payload.sub === 'string' ? payload.sub : null,
    expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : null,
    open: false,
  };
}
