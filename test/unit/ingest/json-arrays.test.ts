/**
 * Metric histories saved as JSON arrays (readers/jsonArrays.ts): Keras' `History.history` dumped with `json.dump`,
 * a dict of lists under one key, and a bare list of numbers (Python's `str(list)`) named by its file (hold-out 15's
 * one-line `train_loss.txt`). Expected values are written by hand from the documents.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, one, pts } from './inferCase';

test("Keras' History.history as JSON: one series per list, points in list order", async () => {
  const doc = '{"loss": [0.9, 0.7, 0.6], "accuracy": [0.5, 0.6, 0.7], "val_loss": [1.0, 0.8, NaN]}';
  const run = one(await parse(doc, 'history.json'));
  assert.equal(run.format, 'json-arrays');
  assert.deepEqual(pts(run, 'train/loss'), { step: [1, 2, 3], value: [0.9, 0.7, 0.6] });
  assert.deepEqual(pts(run, 'val/loss').value.slice(0, 2), [1.0, 0.8]);
  assert.ok(Number.isNaN(pts(run, 'val/loss').value[2]), 'NaN is kept');
});

test('a dict of lists under one key, with an epoch list: the epochs are the steps', async () => {
  const doc = '{"history": {"epoch": [0, 1, 2, 3], "train_loss": [2.0, 1.5, 1.2, 1.1]}}';
  const run = one(await parse(doc, 'training_history.json'));
  assert.deepEqual(pts(run, 'train/loss'), { step: [0, 1, 2, 3], value: [2, 1.5, 1.2, 1.1] });
  assert.equal(run.meta.stepAxis?.value, 'epoch');
});

test('a bare list named for a loss: the training loss, or the validation loss when the name says so', async () => {
  const list = '[1.1161565780639648, 1.1113454103469849, 1.100448727607727, 0.9]';
  assert.deepEqual(
    pts(one(await parse(list, 'train_loss.txt')), 'train/loss').value,
    [1.1161565780639648, 1.1113454103469849, 1.100448727607727, 0.9],
  );
  assert.deepEqual(pts(one(await parse(list, 'val_losses.json')), 'val/loss').step, [1, 2, 3, 4]);
});

test('not claimed: a bare list whose file name says nothing, a config whose lists are not metrics', async () => {
  assert.equal((await parse('[1.5, 2.5, 3.5]', 'data.json')).runs.length, 0);
  const config = await parse('{"image_mean": [0.48, 0.45, 0.40], "size": 224}', 'preprocessor_config.json');
  assert.ok(config.runs.every((r) => r.format !== 'json-arrays'));
  // (a list of records is not a bare list of numbers: it is read record by record, json-records.test.ts)
  const records = one(await parse('[{"loss": 1.0}, {"loss": 0.5}]', 'loss.json'));
  assert.deepEqual(pts(records, 'train/loss'), { step: [0, 1], value: [1.0, 0.5] });
});

test('a truncated document (mid-write) is a warning, not a crash', async () => {
  const r = await parse('{"loss": [0.9, 0.7, 0.', 'history.json');
  assert.equal(r.runs.length, 0);
  assert.ok(r.diagnostics.length > 0);
});
