import type { AmbulanceDoc } from './ambulance.model.js';
import { ambulanceIdValues } from './ambulance-id.filter.js';
import type { RawCollection } from './models.js';

/**
 * The fleet document of an ambulance, looked up by `_id` alone in each stored form in turn: the only filter
 * FerretDB v1 (the embedded and test store) answers through its index. A `$in` or any further condition makes
 * it decode every fleet document, and inside a write it holds the store's single writer meanwhile.
 */
export async function fleetDocumentOf(
  ambulances: RawCollection<AmbulanceDoc>,
  ambulanceId: string,
  projection?: Readonly<Record<string, 0 | 1>>,
): Promise<AmbulanceDoc | null> {
  for (const id of ambulanceIdValues(ambulanceId)) {
    const doc = await ambulances.findOne({ _id: id }, projection ? { projection } : {});
    if (doc) return doc;
  }
  return null;
}
