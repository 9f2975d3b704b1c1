import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import mongoose from 'mongoose';
import { filterEvaluationOf, indexesFor } from './store.indexes.js';
import { trackingModel } from './tracking.model.js';

describe('indexesFor', () => {
  const declared = trackingModel(mongoose.createConnection()).schema.indexes();

  it('gives a store that filters through indexes every declared index', () => {
    assert.equal(declared.length, 3);
    assert.deepEqual(indexesFor(declared, 'through-indexes'), declared);
  });

  it('gives a store that evaluates filters document by document the unique ones only', () => {
    assert.deepEqual(indexesFor(declared, 'document-by-document'), [[{ seq: 1 }, { unique: true, sparse: true }]]);
  });
});

describe('filterEvaluationOf', () => {
  it("reads FerretDB's filterPushdown; MongoDB's explain has none and uses its indexes", () => {
    assert.equal(filterEvaluationOf({ filterPushdown: false }), 'document-by-document');
    assert.equal(filterEvaluationOf({ filterPushdown: true }), 'through-indexes');
    assert.equal(filterEvaluationOf({ queryPlanner: { winningPlan: { stage: 'EOF' } } } as object), 'through-indexes');
  });
});
