import { readStored, writeStored } from './browser.storage';

const TOKEN_KEY = 'aoc.dashboard.token';

/** The access token, kept for this browser tab only (sessionStorage). */
export function storedToken(): string | null {
  return readStored('session', TOKEN_KEY);
}

/** Keeps `token` for this tab; null forgets it. */
export function storeToken(token: string | null): void {
  writeStored('session', TOKEN_KEY, token);
}
