import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { printAppSchema, SCHEMA_FILE } from '../src/graphql/schema.print.js';

const target = path.resolve(import.meta.dirname, '..', '..', SCHEMA_FILE);
await writeFile(target, await printAppSchema());
process.stdout.write(`wrote ${target}\n`);
