/**
 * The general reader on hold-out 18's multi-training misses (issue 14): synthetic lines modelled on each class, in at
 * least two variants, small enough that the expected values are written by hand. Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, pts, lines } from './inferCase';
import { endLineKind } from '../../../src/ingest/metaLines';

describe('an optimisation that says it finished ends a training, in any capitalisation', () => {
  const ids = (r: { runs: { id: string }[] }) => r.runs.map((run) => run.id.replace('/tmp/x.log', ''));
  for (const done of ['[2022-06-26 22:10:35,305]Optimization Finished!', 'Training Finished.', 'TRAINING COMPLETE']) {
    test(`\`${done}\` then epochs from the start again: two runs, each with its own points`, async () => {
      const row = (e: number, loss: string) => `Epoch: ${e} loss_train: ${loss} acc_train: 0.5`;
      const r = await parse(lines(row(1, '2.0'), row(2, '1.5'), row(3, '1.25'), done, row(1, '1.75'), row(2, '1.0')));
      assert.deepEqual(ids(r), ['#training 1', '']);
      assert.deepEqual(pts(r.runs[0], 'train/loss'), { step: [1, 2, 3], value: [2, 1.5, 1.25] });
      assert.deepEqual(pts(r.runs[1], 'train/loss'), { step: [1, 2], value: [1.75, 1] });
    });
  }
  test('the end-line test', () => {
    assert.equal(endLineKind('Optimization Finished!'), 'completed');
    assert.equal(endLineKind('optimisation done'), 'completed');
    assert.equal(endLineKind('Training Finished.'), 'completed');
    // a setting or a promise is no end
    assert.equal(endLineKind('optimization: adamw'), undefined);
    assert.equal(endLineKind('Starting optimization'), undefined);
  });
});

describe('a line announcing another fold ends the training before it', () => {
  const ids = (r: { runs: { id: string }[] }) => r.runs.map((run) => run.id.replace('/tmp/x.log', ''));
  const row = (e: number, loss: string) => `Epoch ${e} - avg_train_loss: ${loss}  avg_val_loss: 0.6354  time: 20s`;
  test('`========== fold: k training ==========` banners: one run per fold', async () => {
    const fold = (k: number) => [
      `========== fold: ${k} training ==========`,
      row(1, `0.${7 - k}1`),
      row(2, `0.${7 - k}0`),
      `========== fold: ${k} result ==========`,
      `Score: 0.${3 + k}`,
    ];
    const r = await parse(lines(...fold(0), ...fold(1), ...fold(2)));
    assert.deepEqual(ids(r), ['#training 1', '#training 2', '']);
    assert.deepEqual(pts(r.runs[2], 'avg_train_loss'), { step: [1, 2], value: [0.51, 0.5] });
  });
  test('`FOLD k` lines without a result line, and a trial index with its total', async () => {
    for (const head of ['FOLD', 'Trial']) {
      const text = lines(
        ...[1, 2].flatMap((k) => [
          `${head} ${k}${head === 'Trial' ? '/2' : ''}`,
          row(1, `0.${k}1`),
          row(2, `0.${k}0`),
          row(3, `0.${k}0`),
        ]),
      );
      const r = await parse(text);
      assert.deepEqual(ids(r), ['#training 1', ''], head);
    }
  });
  test('the same fold printed again by the argument dump of a relaunch is not another fold', async () => {
    const launch = (from: number) => [
      'fold: 0',
      'num_epochs: 50',
      ...[0, 1, 2].map((e) => row(from + e, `0.${9 - from - e}`)),
    ];
    const r = await parse(lines(...launch(1), ...launch(1)));
    assert.equal(r.runs.length, 1);
  });
});
