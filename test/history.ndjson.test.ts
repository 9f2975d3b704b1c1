import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import mongoose, { Types } from 'mongoose';
import type { TrackingDoc } from '../src/models/tracking.model.js';
import { testEnv, uniqueName } from './helpers/test-env.js';

const SCRIPTS = path.resolve(import.meta.dirname, '..', 'scripts');
const LEGACY_AMBULANCE = new Types.ObjectId('5f1d7c0e9b1e8a3d4c2b1a09');

interface ScriptResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one of the compiled history commands as an operator would, with stdin and environment. */
function runScript(
  name: string,
  args: readonly string[],
  env: Record<string, string | undefined>,
  stdin = '',
): Promise<ScriptResult> {
  const cleanEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...env })) if (value !== undefined) cleanEnv[key] = value;
  const child = spawn(process.execPath, [path.join(SCRIPTS, name), ...args], { env: cleanEnv });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const at = (hour: number, minute = 0) => new Date(Date.UTC(2026, 0, 15, hour, minute));

function point(ambulanceId: string | Types.ObjectId, time: Date, extra: Partial<TrackingDoc> = {}): TrackingDoc {
  return {
    _id: new Types.ObjectId(),
    ambulance_id: ambulanceId,
    location: { lat: 45.5 + time.getUTCHours() / 100, lon: -73.6 },
    speed: 40 + time.getUTCHours(),
    heading: 90,
    count_datetime: time,
    state: 'GREEN',
    ...extra,
  };
}

describe('tracking history export and import (NDJSON)', () => {
  const source = uniqueName('hist_src');
  const target = uniqueName('hist_dst');
  let client: mongoose.mongo.MongoClient;
  let workDir: string;
  const docs: TrackingDoc[] = [
    point('332', at(0)),
    point('332', at(1)),
    point('332', at(2), {
      heading: '123.5',
      speed: 95,
      state: 'ORANGE',
      speed_above_80: new Types.ObjectId(),
      source_location: { lat: 1.25, lon: 2.5 },
    }),
    point('332', at(3)),
    point('332', at(4)),
    point('333', at(2)),
    point(LEGACY_AMBULANCE, at(2, 30), { heading: 'north' }),
  ];
  const trackings = (database: string) => client.db(database).collection<TrackingDoc>('ambulance_trackings');
  const sorted = (list: TrackingDoc[]) =>
    [...list].sort((a, b) => a._id.toHexString().localeCompare(b._id.toHexString()));

  before(async () => {
    client = new mongoose.mongo.MongoClient(testEnv.mongoUri);
    await trackings(source).insertMany(docs);
    workDir = await mkdtemp(path.join(os.tmpdir(), 'aoc-history-'));
  });
  after(async () => {
    await client.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it('exports one ambulance in a time range (inclusive), oldest first, and imports it into another database twice without duplicates', async () => {
    const exported = await runScript(
      'history.export.js',
      ['--ambulance', '332', '--from', at(1).toISOString(), '--to', at(3).toISOString()],
      { MONGODB_URI: `${testEnv.mongoUri}${source}` },
    );
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stderr, /exported 3 tracking points of ambulance 332/);
    const lines = exported.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.deepEqual(
      lines.map((line) =>
        new Date((JSON.parse(line) as { count_datetime: { $date: string } }).count_datetime.$date).toISOString(),
      ),
      [at(1), at(2), at(3)].map((date) => date.toISOString()),
    );
    assert.match(lines[1] ?? '', /"_id":\{"\$oid":"[0-9a-f]{24}"\}/, 'ids keep their type');

    const env = { MONGODB_URI: `${testEnv.mongoUri}${target}` };
    const first = await runScript('history.import.js', [], env, exported.stdout);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /imported 3 tracking points; 0 were already present/);
    const second = await runScript('history.import.js', [], env, exported.stdout);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /imported 0 tracking points; 3 were already present/);

    const copied = await trackings(target).find({}).toArray();
    assert.deepEqual(sorted(copied), sorted(docs.slice(1, 4)), 'every field and type survives the round trip');
  });

  it('finds legacy points stored with an ObjectId ambulance id, and writes to a file with --out', async () => {
    const file = path.join(workDir, 'legacy.ndjson');
    const exported = await runScript(
      'history.export.js',
      ['--ambulance', LEGACY_AMBULANCE.toHexString(), '--out', file],
      {
        MONGODB_URI: `${testEnv.mongoUri}${source}`,
      },
    );
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(exported.stdout, '');
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /"ambulance_id":\{"\$oid":"5f1d7c0e9b1e8a3d4c2b1a09"\}/);
    assert.match(lines[0] ?? '', /"heading":"north"/);
  });

  it('refuses a malformed line, naming it, after storing the lines before it; a fixed file then completes the import', async () => {
    const database = uniqueName('hist_bad');
    const env = { MONGODB_URI: `${testEnv.mongoUri}${database}` };
    const ndjson = (doc: TrackingDoc) => mongoose.mongo.BSON.EJSON.stringify(doc, { relaxed: true });
    const good = ndjson(point('400', at(5)));
    const bad = JSON.stringify({ _id: 'not-an-object-id', ambulance_id: '400', location: { lat: 1 } });
    const refused = await runScript('history.import.js', [], env, `${good}\n${bad}\n`);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /line 2: _id must be an ObjectId.*count_datetime must be a date.*location must have numeric lat and lon/,
    );
    const banner = await runScript('history.import.js', [], env, `\n> ambulance-tracking@0.1.0 history:export\n`);
    assert.equal(banner.code, 1);
    assert.match(banner.stderr, /line 2: not JSON \(written by "npm run" without -s\?/);

    const fixed = await runScript('history.import.js', [], env, `${good}\n${ndjson(point('400', at(6)))}\n`);
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.match(fixed.stderr, /imported 1 tracking points; 1 were already present/);
    assert.equal(await trackings(database).countDocuments({}), 2);
  });

  it('explains bad usage (exit 64) and a missing MONGODB_URI (exit 78)', async () => {
    const noAmbulance = await runScript('history.export.js', [], { MONGODB_URI: `${testEnv.mongoUri}${source}` });
    assert.equal(noAmbulance.code, 64);
    assert.match(noAmbulance.stderr, /--ambulance is required/);
    const badDate = await runScript('history.export.js', ['--ambulance', '332', '--from', 'yesterday'], {
      MONGODB_URI: `${testEnv.mongoUri}${source}`,
    });
    assert.equal(badDate.code, 64);
    assert.match(badDate.stderr, /--from must be an ISO date/);
    const noDatabase = await runScript('history.export.js', ['--ambulance', '332'], { MONGODB_URI: undefined });
    assert.equal(noDatabase.code, 78);
    assert.match(noDatabase.stderr, /Set MONGODB_URI/);
  });
});
