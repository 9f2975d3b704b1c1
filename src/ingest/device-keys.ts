import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DEVICE_KEY_ENTRY } from '../config/security.env.js';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
/** Compared against when an id has no key, so unknown and known ids take the same time. */
const NO_KEY = digest('\u0000no key configured\u0000');

/**
 * Per-device keys (`id:key`), from INGEST_DEVICE_KEYS and the lines of INGEST_DEVICE_KEYS_FILE. Only SHA-256
 * digests are kept; a presented key is compared with its device's digest in constant time.
 */
export class DeviceKeys {
  private constructor(private readonly digests: ReadonlyMap<string, Buffer>) {}

  get size(): number {
    return this.digests.size;
  }

  static fromEntries(entries: readonly string[], origin = 'INGEST_DEVICE_KEYS'): DeviceKeys {
    const digests = new Map<string, Buffer>();
    entries.forEach((entry, index) => {
      const match = DEVICE_KEY_ENTRY.exec(entry);
      if (!match) {
        throw new Error(
          `${origin} entry ${index + 1} is not "<ambulance id>:<key of 16+ characters>"; fix or remove it`,
        );
      }
      const [, id, key] = match as unknown as [string, string, string];
      if (digests.has(id)) throw new Error(`${origin} lists ambulance ${id} twice; keep one key per device`);
      digests.set(id, digest(key));
    });
    return new DeviceKeys(digests);
  }

  /** Inline entries plus a file of `id:key` lines (blank lines and `#` comments ignored). */
  static async load(inline: readonly string[], file: string | undefined): Promise<DeviceKeys> {
    const entries = [...inline];
    if (file) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw new Error(
          `INGEST_DEVICE_KEYS_FILE ${file} cannot be read (${(error as NodeJS.ErrnoException).code}); fix the path`,
        );
      }
      const lines = text.split(/\r?\n/).map((line) => line.trim());
      entries.push(...lines.filter((line) => line !== '' && !line.startsWith('#')));
    }
    return DeviceKeys.fromEntries(entries, file ? 'INGEST_DEVICE_KEYS / INGEST_DEVICE_KEYS_FILE' : undefined);
  }

  /** Whether `presented` is this device's key. Takes the same time whether or not the id has a key. */
  matches(ambulanceId: string, presented: string): boolean {
    const expected = this.digests.get(ambulanceId);
    const equal = timingSafeEqual(digest(presented), expected ?? NO_KEY);
    return equal && expected !== undefined;
  }
}
