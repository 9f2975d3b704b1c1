import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { AppConfig } from '../config/env.config.js';
import type { IngestEndpoint } from '../config/security.env.js';
import { RefusalError } from '../domain/refusal.error.js';
import { RefusalCode } from '../errors/error.codes.js';
import { clientAddressResolver } from '../http/client-address.js';
import type { RateLimitStore } from '../limits/rate-limit.store.js';
import { MemoryRateLimitStore } from '../limits/rate-limit.store.js';
import { ambulanceIdValues } from '../models/ambulance-id.filter.js';
import { fleetDocumentOf } from '../models/fleet.lookup.js';
import type { Models } from '../models/models.js';
import { DeviceKeys } from './device-keys.js';
import { NEW_AMBULANCE_WINDOW_SECONDS, NewAmbulanceLimit } from './new-ambulance.limit.js';
import { consumeOrRefuse } from './rate-limit.consume.js';

export interface IngestGuardSettings {
  /** Proxies whose X-Forwarded-For is believed (addresses, CIDRs, or loopback/linklocal/uniquelocal). */
  readonly trustProxy: readonly string[];
  /** Networks allowed to post; empty allows every address. */
  readonly allowedNetworks: readonly string[];
  /** Endpoints the network allowlist applies to. */
  readonly restrictNetworksFor: readonly IngestEndpoint[];
  readonly deviceKeys: DeviceKeys;
  /** Endpoints that require a valid per-device key. */
  readonly requireKeyFor: readonly IngestEndpoint[];
  /** Requests per minute, per endpoint, per ambulance id and per source address; 0 switches a limit off. */
  readonly perDevicePerMinute: number;
  readonly perAddressPerMinute: number;
  /** New ambulance ids a source address may introduce per hour; 0 switches the limit off. */
  readonly newAmbulancesPerAddressPerHour: number;
  /** Whether an ambulance id has posted before (its fleet document exists). */
  readonly isKnownAmbulance: (ambulanceId: string) => Promise<boolean>;
  /** Where the counters live (Redis: shared by every instance). */
  readonly rateLimits: RateLimitStore;
}

/** Where a device may send its key. */
export const DEVICE_KEY_HEADER = 'x-device-key';
export const DEVICE_KEY_FIELD = 'device_key';

const WINDOW_SECONDS = 60;

type Limiters = Record<IngestEndpoint, RateLimiterAbstract | null>;

function limitersOf(store: RateLimitStore, perMinute: number, prefix: string): Limiters {
  const make = (endpoint: IngestEndpoint) =>
    perMinute > 0
      ? store.limiter({ points: perMinute, durationSeconds: WINDOW_SECONDS, keyPrefix: `${prefix}:${endpoint}` })
      : null;
  return { tracking: make('tracking'), crash: make('crash'), snapshot: make('snapshot') };
}

/**
 * Guards in front of the device endpoints, each switched on per endpoint from configuration: a network
 * allowlist and a rate limit per source address (checked before the body is read), then a per-device key and
 * a rate limit per ambulance id (checked once the body names the device). Each endpoint has its own budget,
 * so tracking points can never use up the budget of crash notifications. Last, a source address may introduce
 * only so many new ambulance ids an hour (devices with a verified key are exempt). With Redis the budgets are
 * shared by every instance.
 */
export class IngestGuard {
  /** The client's address: the socket's, or X-Forwarded-For's as far back as the proxies are trusted. */
  readonly clientAddress: (request: IncomingMessage) => string;
  private readonly allowed: ((address: string, hop: number) => boolean) | null;
  private readonly restricted: ReadonlySet<IngestEndpoint>;
  private readonly keyRequired: ReadonlySet<IngestEndpoint>;
  private readonly perAddress: Limiters;
  private readonly perDevice: Limiters;
  private readonly newAmbulances: NewAmbulanceLimit | null;

  constructor(private readonly settings: IngestGuardSettings) {
    this.clientAddress = clientAddressResolver(settings.trustProxy);
    this.allowed = settings.allowedNetworks.length > 0 ? proxyaddr.compile([...settings.allowedNetworks]) : null;
    this.restricted = new Set(settings.restrictNetworksFor);
    this.keyRequired = new Set(settings.requireKeyFor);
    this.perAddress = limitersOf(settings.rateLimits, settings.perAddressPerMinute, 'address');
    this.perDevice = limitersOf(settings.rateLimits, settings.perDevicePerMinute, 'device');
    const perHour = settings.newAmbulancesPerAddressPerHour;
    this.newAmbulances =
      perHour > 0
        ? new NewAmbulanceLimit(
            settings.rateLimits.limiter({
              points: perHour,
              durationSeconds: NEW_AMBULANCE_WINDOW_SECONDS,
              keyPrefix: 'new-ambulance',
            }),
            settings.isKnownAmbulance,
          )
        : null;
  }

  /**
   * Before the body is read: the network allowlist, then the per-address rate limit. Returns the client's
   * address for `admitDevice`.
   */
  async admitRequest(request: IncomingMessage, endpoint: IngestEndpoint): Promise<string> {
    const address = this.clientAddress(request);
    if (this.allowed && this.restricted.has(endpoint) && !this.allowed(address, 0)) {
      throw new RefusalError(403, RefusalCode.NetworkNotAllowed, `address ${address} may not post to this endpoint`);
    }
    await consume(this.perAddress[endpoint], address, 'from this address');
    return address;
  }

  /** Whether `endpoint` requires a per-device key. */
  requiresKey(endpoint: IngestEndpoint): boolean {
    return this.keyRequired.has(endpoint);
  }

  /** The device key check alone (when the endpoint requires one): from the header, or else the fields. */
  checkKey(request: IncomingMessage, endpoint: IngestEndpoint, ambulanceId: string, fields: Record<string, unknown>) {
    if (!this.keyRequired.has(endpoint)) return;
    const presented = request.headers[DEVICE_KEY_HEADER] ?? fields[DEVICE_KEY_FIELD];
    if (presented === undefined || presented === '') {
      throw new RefusalError(
        401,
        RefusalCode.DeviceKeyRequired,
        `this endpoint requires the device key: send it in the ${DEVICE_KEY_HEADER} header or the ${DEVICE_KEY_FIELD} field (before any file)`,
      );
    }
    if (typeof presented !== 'string' || !this.settings.deviceKeys.matches(ambulanceId, presented)) {
      throw new RefusalError(
        403,
        RefusalCode.DeviceKeyInvalid,
        `the device key is not valid for ambulance ${ambulanceId}`,
      );
    }
  }

  /**
   * Once the body is a well-formed report (invalid bodies never use up a device's budget): its key when the
   * endpoint requires one, then the per-device rate limit. With a verified key the budget is the ambulance's;
   * without one, anyone may claim any ambulance id, so the budget is the ambulance's at this source address:
   * a caller elsewhere cannot use up the budget of the real device (nor throttle its crash notifications).
   */
  async admitDevice(
    request: IncomingMessage,
    address: string,
    endpoint: IngestEndpoint,
    ambulanceId: string,
    fields: Record<string, unknown>,
  ): Promise<void> {
    this.checkKey(request, endpoint, ambulanceId, fields);
    const keyRequired = this.keyRequired.has(endpoint);
    const budget = keyRequired ? ambulanceId : `${ambulanceId}@${address}`;
    await consume(
      this.perDevice[endpoint],
      budget,
      keyRequired ? 'for this ambulance' : 'for this ambulance from this address',
    );
    // A verified key was issued by the operator for this very id: it is not a made-up one. A crash is never
    // refused for coming from an ambulance this server has not heard of: losing a genuine one costs more than
    // the fleet document a forged one adds.
    if (!keyRequired && endpoint !== 'crash') await this.newAmbulances?.admit(ambulanceId, address);
  }
}

async function consume(limiter: RateLimiterAbstract | null, key: string, scope: string): Promise<void> {
  if (!limiter) return;
  await consumeOrRefuse(limiter, key, {
    code: RefusalCode.RateLimited,
    message: (seconds) =>
      `at most ${limiter.points} requests per minute ${scope} on this endpoint; retry in ${seconds} s`,
  });
}

/**
 * Whether this id is known: a fleet document has it, in either stored form (one `_id` lookup each), or else a
 * stored tracking point does (the legacy database, which a cut-over starts from, keys its fleet differently).
 * Both lookups are indexed.
 */
export function fleetLookup(models: Models): (ambulanceId: string) => Promise<boolean> {
  return async (ambulanceId) => {
    if (await fleetDocumentOf(models.collections.ambulances, ambulanceId, { _id: 1 })) return true;
    const tracked = await models.collections.trackings.findOne(
      { ambulance_id: { $in: ambulanceIdValues(ambulanceId) } },
      { projection: { _id: 1 } },
    );
    return tracked !== null;
  };
}

/** The guard the configuration asks for (reads INGEST_DEVICE_KEYS_FILE). */
export async function ingestGuardFor(
  config: AppConfig,
  dependencies: { readonly models: Models; readonly rateLimits?: RateLimitStore },
): Promise<IngestGuard> {
  return new IngestGuard({
    trustProxy: config.TRUST_PROXY,
    allowedNetworks: config.INGEST_ALLOWED_NETWORKS,
    restrictNetworksFor: config.INGEST_RESTRICT_NETWORKS,
    deviceKeys: await DeviceKeys.load(config.INGEST_DEVICE_KEYS, config.INGEST_DEVICE_KEYS_FILE),
    requireKeyFor: config.INGEST_REQUIRE_DEVICE_KEY,
    perDevicePerMinute: config.INGEST_RATE_LIMIT_PER_DEVICE,
    perAddressPerMinute: config.INGEST_RATE_LIMIT_PER_ADDRESS,
    newAmbulancesPerAddressPerHour: config.INGEST_NEW_AMBULANCES_PER_ADDRESS_PER_HOUR,
    isKnownAmbulance: fleetLookup(dependencies.models),
    rateLimits: dependencies.rateLimits ?? new MemoryRateLimitStore(),
  });
}
