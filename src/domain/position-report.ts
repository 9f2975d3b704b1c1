/** What a GPS or crash device sends: the legacy tracking fields, as JSON numbers or numeric strings. */
export interface PositionReport {
  readonly ambulanceId: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly speed: number;
  readonly heading: number;
  /** The time the device took the reading, when it sent one (tracking only; see device-time.parse.ts). */
  readonly deviceTime?: Date | null;
}
