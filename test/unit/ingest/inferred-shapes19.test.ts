/**
 * The general reader on real logs it still read wrong after hold-out 18 (issue 14): synthetic lines modelled on each
 * class, small enough that the expected values are written by hand. Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, pts, lines } from './inferCase';
import { endLineKind } from '../../../src/ingest/metaLines';

describe('a loop over models that closes each one with `Finished <name>, best <score>` ends a training there', () => {
  const ids = (r: { runs: { id: string }[] }) => r.runs.map((run) => run.id.replace('/tmp/x.log', ''));
  const model = (name: string, base: number) => [
    '-'.repeat(40),
    `Begin model: ${name}`,
    ...[0, 50, 100].flatMap((st, i) => [
      `ep ${i}, it ${st}, global_step: ${st}`,
      `(train) loss: ${(base - i / 10).toFixed(4)}, metric: 0.5${i}`,
      `(valid) loss: ${(base - i / 20).toFixed(4)}, metric: 0.6${i}`,
    ]),
    `Finished ${name}, best valid metric: 0.62`,
    `Model written to: out/${name}.bin`,
  ];
  test('three models, each from step 0: three runs, each with its own points', async () => {
    const r = await parse(lines(...model('lin_a', 2), ...model('conv_b', 3), ...model('conv_c', 4)));
    assert.deepEqual(ids(r), ['#training 1', '#training 2', '']);
    assert.deepEqual(pts(r.runs[0], 'train/loss'), { step: [0, 50, 100], value: [2, 1.9, 1.8] });
    assert.deepEqual(pts(r.runs[2], 'train/loss'), { step: [0, 50, 100], value: [4, 3.9, 3.8] });
  });
  test('the end-line test', () => {
    assert.equal(endLineKind('Finished mlp_sgd, best validation accuracy: 0.9584'), 'completed');
    assert.equal(endLineKind('Finished resnet-18: best top1 71.2'), 'completed');
    // a unit of the loop, a save or a name without its best score is no end of the training
    assert.equal(endLineKind('Finished epoch3, best loss: 0.52'), undefined);
    assert.equal(endLineKind('Finished epoch 3, best loss: 0.52'), undefined);
    assert.equal(endLineKind('Finished saving, best model at step 300'), undefined);
    assert.equal(endLineKind('Finished mlp_sgd in 3.2 s'), undefined);
  });
});
