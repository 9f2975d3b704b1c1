/** What the dashboard does about a refusal: ask for a (new) token, or say the token may not see this. */
export interface AuthProblem {
  readonly kind: 'unauthenticated' | 'forbidden';
  readonly reason: string;
  /** True when the refusal said no more than "refused" (a bare 4403, an HTTP status without a GraphQL body). */
  readonly generic?: true;
}

/** graphql-ws closes with 4403 (Forbidden) when the server refuses the connection's token. */
export const WS_CLOSE_FORBIDDEN = 4403;

/**
 * Reads `token=<jwt>` from a location fragment (`#token=…`), and what the fragment should become without it,
 * so the token leaves the address bar at once.
 */
export function tokenFromFragment(hash: string): { token: string | null; remainingHash: string } {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  const params = new URLSearchParams(fragment);
  const token = params.get('token')?.trim() || null;
  params.delete('token');
  const rest = params.toString();
  return { token, remainingHash: rest ? `#${rest}` : '' };
}

/** A pasted token may come with its "Bearer " prefix or surrounding blanks. */
export function normaliseToken(text: string): string | null {
  const token = text
    .trim()
    .replace(/^bearer\s+/i, '')
    .trim();
  return token === '' ? null : token;
}

export function bearer(token: string): string {
  return `Bearer ${token}`;
}

interface CodedError {
  readonly message?: string;
  readonly extensions?: { readonly code?: unknown } | null;
}

export function authProblemOfErrors(errors: readonly CodedError[] | null | undefined): AuthProblem | null {
  for (const error of errors ?? []) {
    const code = error.extensions?.code;
    if (code === 'UNAUTHENTICATED') return { kind: 'unauthenticated', reason: error.message || 'Sign-in required' };
    if (code === 'FORBIDDEN') return { kind: 'forbidden', reason: error.message || 'Not permitted' };
  }
  return null;
}

/** What an HTTP status says when the body carries no coded error (a proxy's 401 page, say). */
export function authProblemOfStatus(status: number): AuthProblem | null {
  if (status === 401) return { kind: 'unauthenticated', reason: 'The server asks for a sign-in.', generic: true };
  if (status === 403) return { kind: 'forbidden', reason: 'The server refused this request.', generic: true };
  return null;
}

/** graphql-ws's own close reason when `onConnect` refuses: it says nothing about why. */
const BARE_FORBIDDEN = /^forbidden:?\s*/i;

/**
 * A 4403 close: the server refused the token. A reason after "Forbidden: " (e.g. "token expired") is shown; a
 * bare "Forbidden" is generic, and an HTTP refusal (which carries the server's reason) is preferred to it.
 */
export function authProblemOfClose(code: number, reason: string): AuthProblem | null {
  if (code !== WS_CLOSE_FORBIDDEN) return null;
  const detail = reason.replace(BARE_FORBIDDEN, '').trim();
  return detail
    ? { kind: 'unauthenticated', reason: detail }
    : { kind: 'unauthenticated', reason: 'The server refused the token for live updates.', generic: true };
}

/** The problem to show: a new one replaces what is shown, unless it is generic and what is shown says why. */
export function preferredProblem(current: AuthProblem | null, incoming: AuthProblem): AuthProblem {
  return current && incoming.generic && !current.generic ? current : incoming;
}
