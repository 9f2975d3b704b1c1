/** sessionStorage/localStorage that never throws (private modes, full quotas, disabled storage). */
export function readStored(storage: 'session' | 'local', key: string): string | null {
  try {
    return (storage === 'session' ? sessionStorage : localStorage).getItem(key);
  } catch {
    return null;
  }
}

export function writeStored(storage: 'session' | 'local', key: string, value: string | null): void {
  try {
    const target = storage === 'session' ? sessionStorage : localStorage;
    if (value === null) target.removeItem(key);
    else target.setItem(key, value);
  } catch {
    // Not kept across reloads; the dashboard still works.
  }
}
