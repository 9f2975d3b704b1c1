import { LRUCache } from 'lru-cache';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { RefusalCode } from '../errors/error.codes.js';
import { growingStorage } from '../infra/lru-cache.options.js';
import { consumeOrRefuse } from './rate-limit.consume.js';

/** Ambulance ids remembered as known, so a known device costs no lookup on later posts. */
const KNOWN_IDS_REMEMBERED = 50_000;

export const NEW_AMBULANCE_WINDOW_SECONDS = 3600;

/**
 * A budget of new ambulance ids per source address: anyone may post, and every new id becomes a fleet document,
 * so an address may introduce only so many ids an hour. Ids already known (a fleet document exists, or this
 * instance admitted them) never count and are never refused.
 */
export class NewAmbulanceLimit {
  private readonly known = new LRUCache<string, true>(growingStorage(KNOWN_IDS_REMEMBERED));

  constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly isKnown: (ambulanceId: string) => Promise<boolean>,
  ) {}

  async admit(ambulanceId: string, address: string): Promise<void> {
    if (this.known.has(ambulanceId)) return;
    if (await this.isKnown(ambulanceId)) {
      this.known.set(ambulanceId, true);
      return;
    }
    await consumeOrRefuse(this.limiter, address, {
      code: RefusalCode.NewAmbulanceRateLimited,
      field: 'ambulance_id',
      message: (seconds) =>
        `ambulance_id "${ambulanceId}" has never posted here, and this address already introduced ` +
        `${this.limiter.points} new ambulance ids in the last hour, the most it may. Check that the device sends ` +
        `its own ambulance id, or retry in ${seconds} s; ambulances that posted before are not limited.`,
    });
    this.known.set(ambulanceId, true);
  }
}
