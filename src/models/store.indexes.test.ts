import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import mongoose from 'mongoose';
import { indexesFor } from './store.indexes.js';
import { trackingModel } from './tracking.model.js';

describe('indexesFor', () => {
  const declared = trackingModel(mongoose.createConnection()).schema.indexes();

  it('gives MongoDB every declared index', () => {
    assert.equal(declared.length, 3);
    assert.deepEqual(indexesFor(declared, 'mongodb'), declared);
  });

  it('gives FerretDB v1 the unique ones only', () => {
    assert.deepEqual(indexesFor(declared, 'ferretdb-v1'), [[{ seq: 1 }, { unique: true, sparse: true }]]);
  });
});
