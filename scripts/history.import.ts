/**
 * Imports tracking history written by history:export (NDJSON on stdin, or `--in FILE`), keeping each point's id:
 *   npm run -s history:import < 332.ndjson
 * Importing the same file twice stores each point once. Writes to the database in MONGODB_URI.
 */
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { importHistory } from '../src/ops/history.ndjson.js';
import { openTrackings, runCommand, UsageError } from './history.cli.js';

runCommand(async () => {
  let input: string | undefined;
  try {
    input = parseArgs({ options: { in: { type: 'string' } } }).values.in;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nusage: history:import [-- --in FILE] (default: stdin)`);
  }
  const store = await openTrackings();
  try {
    const result = await importHistory(store.trackings, input ? createReadStream(input) : process.stdin);
    return `imported ${result.inserted} tracking points; ${result.alreadyPresent} were already present`;
  } finally {
    await store.close();
  }
});
