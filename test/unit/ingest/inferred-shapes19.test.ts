/**
 * The general reader on real logs it still read wrong after hold-out 18 (issue 14): synthetic lines modelled on each
 * class, small enough that the expected values are written by hand. Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';
import { endLineKind } from '../../../src/ingest/metaLines';
import { repeatedLastStep } from '../../../src/ingest/infer/trainings';
import { tokenize, Shape } from '../../../src/ingest/infer/tokenize';

const fieldsOf = (s: string) => {
  const b = Buffer.from(s);
  const sh = new Shape();
  tokenize(b, 0, b.length, sh);
  return Array.from(sh.val.subarray(0, sh.nf));
};

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

describe('an underscore joining two numbers separates them (`epoch_loss` lines)', () => {
  test('`N_loss`, one line per epoch, in a file named for a loss: one point per line', async () => {
    const loss = (e: number) => +(1.5 / e + 0.1).toFixed(12);
    const run = one(await parse(lines(...[1, 2, 3, 4, 5, 6, 7, 8].map((e) => `${e}_${loss(e)}`)), 'dev_loss.txt'));
    assert.deepEqual(pts(run, 'train/loss'), {
      step: [1, 2, 3, 4, 5, 6, 7, 8],
      value: [1, 2, 3, 4, 5, 6, 7, 8].map(loss),
    });
  });
  test('the fields of a line', () => {
    assert.deepEqual(fieldsOf('12_0.8458'), [12, 0.8458]);
    assert.deepEqual(fieldsOf('3_41_2.5e-3'), [3, 41, 0.0025]);
    // a digit separator (three digits, no fraction after them) and an identifier stay as they were
    assert.deepEqual(fieldsOf('tokens 1_000_000 loss 2.5'), [1, 2.5]);
    assert.deepEqual(fieldsOf('ckpt_12_3.pt loss 2.5'), [2.5]);
  });
});

describe('a line stating the training time alone ends a training', () => {
  const ids = (r: { runs: { id: string }[] }) => r.runs.map((run) => run.id.replace('/tmp/x.log', ''));
  const run = (k: number, epochs: number) => [
    `~~ Repeat ${k}`,
    ...Array.from({ length: epochs }, (_, e) => `Epoch #${e}: loss=${(5 - e / 4 + k / 10).toFixed(6)}`),
    `Training time: 0:00:${10 + k}.25`,
    `Evaluation result: {'acc': 0.9${k}, 'f1': 0.8${k}}`,
  ];
  test('seeded trainings one after another, each from epoch 0: one run each', async () => {
    const r = await parse(lines('Dataset: toy', ...run(0, 8), ...run(1, 6), ...run(2, 9)));
    assert.deepEqual(ids(r), ['#training 1', '#training 2', '']);
    assert.deepEqual(pts(r.runs[1], 'train/loss'), {
      step: [0, 1, 2, 3, 4, 5],
      value: [5.1, 4.85, 4.6, 4.35, 4.1, 3.85],
    });
    assert.deepEqual(pts(r.runs[2], 'train/loss').step, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
  test('the end-line test', () => {
    assert.equal(endLineKind('Training time: 0:00:43.737432'), 'completed');
    assert.equal(endLineKind('Total training time: 12 minutes and 3 seconds'), 'completed');
    assert.equal(endLineKind('total training time = 3.5h'), 'completed');
    // a record with a time among its values, or a promise, is none
    assert.equal(endLineKind('Training time: 3.1s, loss: 0.52'), undefined);
    assert.equal(endLineKind('Estimated training time: 3 hours'), undefined);
  });
});

describe('the same epochs run to the same last epoch three times or more: each is a training of its own', () => {
  const ids = (r: { runs: { id: string }[] }) => r.runs.map((run) => run.id.replace('/tmp/x.log', ''));
  const pass = (k: number) =>
    [1, 2, 3, 4, 5, 6].map((e) => `Epoch ${e}, Loss ${(3 - e / 4 - k / 8).toFixed(4)}, Time ${e + k}.25s`);
  test('three passes of epochs 1–6, nothing between them: three runs', async () => {
    const r = await parse(lines(...pass(0), ...pass(1), ...pass(2)));
    assert.deepEqual(ids(r), ['#training 1', '#training 2', '']);
    assert.deepEqual(pts(r.runs[1], 'train/loss'), {
      step: [1, 2, 3, 4, 5, 6],
      value: [2.625, 2.375, 2.125, 1.875, 1.625, 1.375],
    });
  });
  test('two passes alike stay attempts of one run (a relaunch into the same log), as does a pass cut short', async () => {
    assert.equal((await parse(lines(...pass(0), ...pass(1)))).runs.length, 1);
    assert.equal((await parse(lines(...pass(0), ...pass(1).slice(0, 4), ...pass(2)))).runs.length, 1);
  });
  test('a counter within the epoch that starts again each epoch is no new training', async () => {
    const out: string[] = [];
    for (let e = 1; e <= 3; e++) {
      out.push(`Starting epoch ${e}/3.`);
      for (let s = 0; s <= 4; s++) out.push(`Batch Loss: ${(6 - e - s / 10).toFixed(6)}  [${s * 640}/3200]`);
    }
    assert.equal((await parse(lines(...out))).runs.length, 1);
  });
  test('repeatedLastStep', () => {
    assert.equal(repeatedLastStep([1, 2, 3, 1, 2, 3, 1, 2, 3]), 3);
    assert.ok(Number.isNaN(repeatedLastStep([1, 2, 3, 1, 2, 3])));
    assert.ok(Number.isNaN(repeatedLastStep([1, 2, 3, 1, 2, 3, 1, 2])));
    assert.ok(Number.isNaN(repeatedLastStep([1, 2, 3, 1, 2, 3, 1, 2, 3, 4])));
  });
});
