/** What the history export and import commands share: the database from MONGODB_URI, and how they fail. */
import mongoose from 'mongoose';
import { ConfigError, loadConfig } from '../src/config/env.config.js';
import { createModels, type RawCollection } from '../src/models/models.js';
import type { TrackingDoc } from '../src/models/tracking.model.js';

export const EXIT_USAGE = 64;
export const EXIT_CONFIG = 78;

export class UsageError extends Error {}

export interface TrackingStore {
  readonly trackings: RawCollection<TrackingDoc>;
  close(): Promise<void>;
}

export async function openTrackings(): Promise<TrackingStore> {
  const config = loadConfig();
  if (!config.MONGODB_URI) {
    throw new ConfigError(
      'Set MONGODB_URI to the database (e.g. mongodb://user:password@mongo:27017/aoc_v2?authSource=admin); ' +
        'the embedded FerretDB runs only inside the server process.',
    );
  }
  const connection = await mongoose
    .createConnection(config.MONGODB_URI, {
      serverSelectionTimeoutMS: config.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
      autoIndex: false,
    })
    .asPromise();
  return { trackings: createModels(connection).collections.trackings, close: () => connection.close() };
}

/** Runs a command: a summary goes to stderr (stdout may be the data); errors exit with a code that says what kind. */
export function runCommand(command: () => Promise<string>): void {
  command().then(
    (summary) => {
      process.stderr.write(`${summary}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = error instanceof UsageError ? EXIT_USAGE : error instanceof ConfigError ? EXIT_CONFIG : 1;
    },
  );
}
