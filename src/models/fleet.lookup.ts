import type { AmbulanceDoc } from './ambulance.model.js';
import { ambulanceIdValues } from './ambulance-id.filter.js';
import type { RawCollection } from './models.js';

/**
 * The fleet document of an ambulance, looked up by `_id` alone in each stored form in turn (one lookup for the
 * usual non-hex ids): the filter any FerretDB v1 answers through its index. The project's FerretDB build also
 * indexes `_id: {$in}` (src/infra/ferretdb.process.ts); a stock build decodes every fleet document for it.
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
