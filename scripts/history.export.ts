/**
 * Exports one ambulance's tracking history as NDJSON (MongoDB Extended JSON, one point per line, oldest first):
 *   npm run -s history:export -- --ambulance 332 --from 2026-11-01T00:00:00Z --to 2026-11-02T00:00:00Z > 332.ndjson
 * `--out FILE` writes to a file instead of stdout. Reads the database from MONGODB_URI.
 */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { isValidAmbulanceId } from '../src/domain/ambulance-id.js';
import { exportHistory } from '../src/ops/history.ndjson.js';
import { openTrackings, runCommand, UsageError } from './history.cli.js';

const USAGE = 'usage: history:export -- --ambulance ID [--from ISO-DATE] [--to ISO-DATE] [--out FILE]';

function dateArgument(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new UsageError(`--${name} must be an ISO date such as 2026-11-22T00:00:00Z, got "${value}"\n${USAGE}`);
  return date;
}

runCommand(async () => {
  let values: { ambulance?: string; from?: string; to?: string; out?: string };
  try {
    ({ values } = parseArgs({
      options: {
        ambulance: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        out: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  if (!values.ambulance || !isValidAmbulanceId(values.ambulance))
    throw new UsageError(`--ambulance is required\n${USAGE}`);
  const range = {
    ambulanceId: values.ambulance,
    from: dateArgument('from', values.from),
    to: dateArgument('to', values.to),
  };
  if (range.from && range.to && range.from > range.to)
    throw new UsageError(`--from must not be later than --to\n${USAGE}`);

  const store = await openTrackings();
  const output = values.out ? createWriteStream(values.out) : process.stdout;
  try {
    const count = await exportHistory(store.trackings, range, output);
    if (values.out) {
      output.end();
      await finished(output);
    }
    return `exported ${count} tracking points of ambulance ${range.ambulanceId}`;
  } finally {
    await store.close();
  }
});
