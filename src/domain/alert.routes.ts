import { AMBULANCE_EVENT_KINDS, PLACE_KINDS, type PlaceKind } from './ambulance-event.js';

/**
 * What the alert outlets send: every ambulance event kind, and CRASH_ESCALATED (a crash nobody acknowledged in
 * time), which is an alert only, never an event of the log.
 */
export const ALERT_KINDS = [...AMBULANCE_EVENT_KINDS, 'CRASH_ESCALATED'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/**
 * One entry of a webhook's kinds filter: a kind, narrowed for place events to one kind of place
 * (`PLACE_ENTERED:HOSPITAL`), or not (`PLACE_ENTERED`: any place).
 */
export interface AlertKindFilter {
  readonly kind: AlertKind;
  readonly placeKind: PlaceKind | null;
}

export interface WebhookTarget {
  readonly url: string;
  readonly kinds: readonly AlertKindFilter[];
}

/** The alert as the routes see it: its kind, and the kind of place for place events. */
export interface RoutedAlert {
  readonly kind: AlertKind;
  readonly placeKind: PlaceKind | null;
}

const PLACE_EVENT_KINDS: readonly AlertKind[] = ['PLACE_ENTERED', 'PLACE_LEFT'];

export const DEFAULT_ALERT_KINDS =
  'CRASH_REPORTED,CRASH_ESCALATED,SPEEDING_STARTED,PLACE_ENTERED:HOSPITAL,WENT_OFFLINE';

const isAlertKind = (value: string): value is AlertKind => (ALERT_KINDS as readonly string[]).includes(value);
const isPlaceKind = (value: string): value is PlaceKind => (PLACE_KINDS as readonly string[]).includes(value);

/** Parses `KIND,KIND:PLACEKIND,…`; throws an Error saying what is wrong and what is accepted. */
export function parseKindFilters(text: string): AlertKindFilter[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error('the kinds list after "|" is empty');
  return entries.map((entry) => {
    const [kind = '', placeKind, extra] = entry.split(':').map((part) => part.trim().toUpperCase());
    if (!isAlertKind(kind) || extra !== undefined) {
      throw new Error(`unknown alert kind "${entry}"; kinds are ${ALERT_KINDS.join(', ')}`);
    }
    if (placeKind === undefined) return { kind, placeKind: null };
    if (!PLACE_EVENT_KINDS.includes(kind)) {
      throw new Error(`"${entry}": only ${PLACE_EVENT_KINDS.join(' and ')} take a place kind after ":"`);
    }
    if (!isPlaceKind(placeKind)) {
      throw new Error(`"${entry}": unknown place kind "${placeKind}"; place kinds are ${PLACE_KINDS.join(', ')}`);
    }
    return { kind, placeKind };
  });
}

/**
 * Parses ALERT_WEBHOOK_URLS: entries separated by `;` or line breaks, each `URL` (the default kinds) or
 * `URL|KIND,KIND,…`. A `;` or `|` inside a URL must be percent-encoded (`%3B`, `%7C`). Throws an Error naming
 * the entry and the fix.
 */
export function parseWebhookTargets(text: string): WebhookTarget[] {
  const entries = text
    .split(/[;\n]/)
    .map((entry) => entry.trim())
    .filter(Boolean);
  const targets = entries.map((entry, index) => {
    const where = `entry ${index + 1} ("${entry}")`;
    const parts = entry.split('|');
    if (parts.length > 2)
      throw new Error(`${where}: write one "|" between the URL and its kinds (a "|" in the URL is %7C)`);
    const [rawUrl = '', rawKinds] = parts.map((part) => part.trim());
    if (/,\s*https?:\/\//i.test(rawUrl)) throw new Error(`${where}: separate webhook entries with ";", not ","`);
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new Error(`${where}: "${rawUrl}" is not a URL; write https://host/path`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Error(`${where}: the URL must start with https:// or http://`);
    }
    try {
      return { url: url.href, kinds: parseKindFilters(rawKinds ?? DEFAULT_ALERT_KINDS) };
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`);
    }
  });
  const seen = new Set<string>();
  for (const target of targets) {
    if (seen.has(target.url)) throw new Error(`${target.url} is listed twice; list each URL once with all its kinds`);
    seen.add(target.url);
  }
  return targets;
}

/** Whether a webhook's filter takes the alert. */
export function targetWants(target: WebhookTarget, alert: RoutedAlert): boolean {
  return target.kinds.some(
    (filter) => filter.kind === alert.kind && (filter.placeKind === null || filter.placeKind === alert.placeKind),
  );
}

/** How a kinds filter is written back (logs, docs). */
export function describeKinds(kinds: readonly AlertKindFilter[]): string {
  return kinds.map((filter) => (filter.placeKind ? `${filter.kind}:${filter.placeKind}` : filter.kind)).join(',');
}
