/** What the dashboard does about a refusal: ask for a (new) token, or say the token may not see this. */
export interface AuthProblem {
  readonly kind: 'unauthenticated' | 'forbidden';
  readonly reason: string;
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

export function authProblemOfClose(code: number, reason: string): AuthProblem | null {
  if (code !== WS_CLOSE_FORBIDDEN) return null;
  return { kind: 'unauthenticated', reason: reason || 'The server refused the live connection: sign in again.' };
}
