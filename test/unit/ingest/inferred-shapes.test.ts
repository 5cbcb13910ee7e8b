/**
 * The general reader on the failure classes of the retired hold-out 3 (issue 14): synthetic lines modelled on
 * each class, small enough that the expected series is written by hand from the text (never taken from the
 * reader's output). Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Banners, trainingStarts } from '../../../src/ingest/infer/trainings';

import { parse, one, pts, lines } from './inferCase';

describe('a loss named without "loss"', () => {
  test('a total is the training loss, under its own name as written', async () => {
    const r = await parse(
      lines(
        '[epoch: 1/20, iter: 1/3] cls: 0.9 total: 1.5',
        '[epoch: 1/20, iter: 2/3] cls: 0.8 total: 1.25',
        '[epoch: 1/20, iter: 3/3] cls: 0.7 total: 1.0',
      ),
    );
    const run = one(r);
    assert.deepEqual(pts(run, 'train/loss').value, [1.5, 1.25, 1]);
    assert.equal(run.metrics['train/loss'].originalName, 'total');
    assert.deepEqual(pts(run, 'cls').value, [0.9, 0.8, 0.7]);
    assert.ok(r.diagnostics.some((d) => /no field is named as a loss: "total"/.test(d.message)));
  });
  test('no total: the first value that is not a speed, time or score (GluonCV, CycleGAN)', async () => {
    const run = one(
      await parse(
        lines(
          'INFO: [Epoch 0][Batch 1], Speed: 0.9 samples/sec, CrossEntropy=1.8e+00, SmoothL1=3.0e-03, val_AP=0.13',
          'INFO: [Epoch 0][Batch 2], Speed: 0.5 samples/sec, CrossEntropy=9.2e-01, SmoothL1=2.1e-03, val_AP=0.16',
          'INFO: [Epoch 0][Batch 3], Speed: 0.6 samples/sec, CrossEntropy=3.0e-02, SmoothL1=2.8e-03, val_AP=0.29',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').value, [1.8, 0.92, 0.03]);
    assert.equal(run.metrics['train/loss'].originalName, 'CrossEntropy');
    const gan = one(
      await parse(
        lines(
          '(epoch: 1, iters: 100, time: 0.3, data: 0.7) D_A: 0.25 G_A: 0.5 cycle_A: 2.5',
          '(epoch: 1, iters: 200, time: 0.3, data: 0.1) D_A: 0.2 G_A: 0.75 cycle_A: 2.0',
          '(epoch: 1, iters: 300, time: 0.3, data: 0.1) D_A: 0.125 G_A: 1.0 cycle_A: 1.5',
        ),
      ),
    );
    assert.deepEqual(pts(gan, 'train/loss').value, [0.25, 0.2, 0.125]);
    assert.equal(gan.metrics['train/loss'].originalName, 'D_A');
  });
  test('a key that names a loss keeps the choice: nothing else becomes train/loss', async () => {
    const run = one(
      await parse(
        lines('step 1 total: 3.0 val_loss: 2.5', 'step 2 total: 2.0 val_loss: 2.25', 'step 3 total: 1.5 val_loss: 2.0'),
      ),
    );
    assert.equal(run.metrics['train/loss'], undefined);
    assert.deepEqual(pts(run, 'total').value, [3, 2, 1.5]);
  });
});

describe('a counter that restarts each epoch', () => {
  test('logged every 50 batches from batch 0: epochs do not overlap (every point kept)', async () => {
    const run = one(
      await parse(
        lines(
          '[Epoch 0][Batch 0], loss=4.0',
          '[Epoch 0][Batch 50], loss=3.0',
          '[Epoch 1][Batch 0], loss=2.5',
          '[Epoch 1][Batch 50], loss=2.0',
          '[Epoch 2][Batch 0], loss=1.5',
          '[Epoch 2][Batch 50], loss=1.25',
        ),
      ),
    );
    const s = pts(run, 'train/loss');
    assert.deepEqual(s.value, [4, 3, 2.5, 2, 1.5, 1.25]);
    assert.ok(
      s.step.every((v, i) => i === 0 || v > s.step[i - 1]),
      `steps ${s.step.join(',')}`,
    );
  });
  test('an iteration total that grows between epochs: epochs do not overlap', async () => {
    const run = one(
      await parse(
        lines(
          '[epoch: 1/9, iter: 0/4] loss: 9.0',
          '[epoch: 1/9, iter: 3/4] loss: 8.0',
          '[epoch: 2/9, iter: 0/6] loss: 7.0',
          '[epoch: 2/9, iter: 5/6] loss: 6.0',
          '[epoch: 3/9, iter: 0/6] loss: 5.0',
          '[epoch: 3/9, iter: 5/6] loss: 4.0',
        ),
      ),
    );
    const s = pts(run, 'train/loss');
    assert.deepEqual(s.value, [9, 8, 7, 6, 5, 4]);
    assert.ok(
      s.step.every((v, i) => i === 0 || v > s.step[i - 1]),
      `steps ${s.step.join(',')}`,
    );
  });
});

describe('a Keras CSVLogger file with a second training appended', () => {
  const first = ['0,0.5,1.5,0.5,1.25', '1,0.75,1.0,0.5,1.5', '2,0.875,0.5,0.75,1.75'];
  const second = ['0,0.5,0.75,0.5,0.5', '1,0.625,0.25,0.625,0.375'];
  test('under the same header: every row read, the last value written per epoch, and said', async () => {
    const r = await parse(lines('epoch,acc,loss,val_acc,val_loss', ...first, ...second), 'training.log');
    const run = one(r);
    assert.equal(run.format, 'keras-csv');
    // epochs 0 and 1 were written again by the second training; epoch 2 only by the first
    assert.deepEqual(pts(run, 'train/loss'), { step: [0, 1, 2], value: [0.75, 0.25, 0.5] });
    assert.deepEqual(pts(run, 'val/loss'), { step: [0, 1, 2], value: [0.5, 0.375, 1.75] });
    assert.ok(r.diagnostics.some((d) => /goes back 1 time .* at line 5/.test(d.message)));
  });
  test('with the header written again: the table starts over (the last training is the series)', async () => {
    const r = await parse(
      lines('epoch,acc,loss,val_acc,val_loss', ...first, 'epoch,acc,loss,val_acc,val_loss', ...second),
      'training.log',
    );
    assert.deepEqual(pts(one(r), 'train/loss'), { step: [0, 1], value: [0.75, 0.25] });
  });
  test('an epoch column that never moves (one fit() per row) is left as it is', async () => {
    const r = await parse(lines('epoch,acc,loss', '0,0.5,1.5', '0,0.75,1.0', '0,0.875,0.5'), 'history.csv');
    assert.deepEqual(pts(one(r), 'train/loss').value, [1.5, 1, 0.5]);
  });
});

describe('a validation line sharing the training line key', () => {
  test('the validation template is val/loss; the training loss keeps its own last value', async () => {
    const run = one(
      await parse(
        lines(
          'INFO - [Train] Epoch 001: loss = 0.5',
          'INFO - [Diff-Val(Test-Normal)] Epoch 001 (Deterministic): loss = 0.25',
          'INFO - [Train] Epoch 002: loss = 0.375',
          'INFO - [Diff-Val(Test-Normal)] Epoch 002 (Deterministic): loss = 0.125',
          'INFO - [Train] Epoch 003: loss = 0.3125',
          'INFO - [Diff-Val(Test-Normal)] Epoch 003 (Deterministic): loss = 0.0625',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss'), { step: [1, 2, 3], value: [0.5, 0.375, 0.3125] });
    assert.deepEqual(pts(run, 'val/loss'), { step: [1, 2, 3], value: [0.25, 0.125, 0.0625] });
  });
  test('an evaluation word inside a key does not make the line a validation line', async () => {
    const run = one(
      await parse(
        lines('step 1 loss 2.5 test_acc 0.5', 'step 2 loss 2.0 test_acc 0.625', 'step 3 loss 1.5 test_acc 0.75'),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').value, [2.5, 2, 1.5]);
  });
});

describe('OpenAI baselines progress.csv', () => {
  test('the namespaced step counter (total/steps) is the step axis; empty cells are missing values', async () => {
    const r = await parse(
      lines(
        'rollout/return,AI_success_rate,total/epochs,train/loss_actor,train/loss_critic,total/steps',
        '-1225.5,,1,131.75,287.5,2000',
        '-1379.25,,2,290.125,168.375,4000',
        '-900.0,0.5,3,250.0,150.25,6000',
      ),
      'progress.csv',
    );
    const run = one(r);
    assert.deepEqual(pts(run, 'train/loss_critic'), { step: [2000, 4000, 6000], value: [287.5, 168.375, 150.25] });
    assert.deepEqual(pts(run, 'AI_success_rate'), { step: [6000], value: [0.5] });
    assert.equal(run.meta.stepAxis?.value, 'total/steps');
  });
});

describe('several trainings in one file', () => {
  const banner = (d: string) => `================ Training Loss (${d}) ================`;
  const rec = (e: number, i: number, v: number) =>
    `(epoch: ${e}, iters: ${i}, time: 0.3, data: 0.1) D_A: ${v} G_A: 0.5`;
  test('back to the start after the opening banner again: a new training, reported with the earlier attempt', async () => {
    const r = await parse(
      lines(
        banner('Sat Jun  6 16:47:21 2020'),
        rec(1, 100, 0.5),
        rec(1, 200, 0.25),
        rec(2, 100, 0.125),
        rec(2, 200, 0.0625),
        banner('Wed Jul  1 06:38:08 2020'),
        rec(1, 100, 0.75),
        rec(1, 200, 0.375),
      ),
    );
    const d = r.diagnostics.find((x) => /2 trainings in this file/.test(x.message));
    assert.ok(d, r.diagnostics.map((x) => x.message).join(' | '));
    assert.match(d.message, /last training starts at line 7/);
    assert.match(d.message, /lines 2–5 \(4 points/);
    // every attempt is read, last write per step (the corpus's rule for the series; see SERIES_FROM_LAST_TRAINING)
    assert.deepEqual(pts(one(r), 'train/loss').value, [0.75, 0.375, 0.125, 0.0625]);
  });
  test("a banner's date is not a series (`Wed Jul  1` is no value keyed `Wed Jul`)", async () => {
    const r = await parse(
      lines(
        banner('Wed Jul  1 06:38:08 2020'),
        rec(1, 100, 0.5),
        banner('Wed Jul  1 09:17:58 2020'),
        rec(1, 200, 0.25),
        banner('Wed Jul  1 11:11:58 2020'),
        rec(1, 300, 0.125),
        banner('Wed Jul  1 18:02:58 2020'),
        rec(1, 400, 0.0625),
      ),
    );
    const run = one(r);
    assert.deepEqual(
      Object.values(run.metrics)
        .map((m) => m.originalName)
        .filter((k) => /jul/i.test(k)),
      [],
    );
    assert.equal(run.metrics['train/loss'].originalName, 'D_A');
  });
  test('a resume (back, but not to the start) or a restart without the banner is not a new training', async () => {
    const resume = await parse(
      lines(
        banner('Sat Jun  6 16:47:21 2020'),
        rec(1, 100, 0.5),
        rec(2, 100, 0.25),
        rec(3, 100, 0.125),
        banner('Wed Jul  1 06:38:08 2020'),
        rec(2, 100, 0.2),
        rec(3, 100, 0.1),
      ),
    );
    assert.ok(!resume.diagnostics.some((x) => /trainings in this file/.test(x.message)));
    const noBanner = await parse(
      lines(
        banner('Sat Jun  6 16:47:21 2020'),
        rec(1, 100, 0.5),
        rec(2, 100, 0.25),
        rec(1, 100, 0.2),
        rec(2, 100, 0.1),
      ),
    );
    assert.ok(!noBanner.diagnostics.some((x) => /trainings in this file/.test(x.message)));
  });
  test('trainingStarts: a step back to the start after the banner, and not a repeated step', () => {
    const banners = new Banners();
    const enc = (s: string) => Buffer.from(s);
    const text = [banner('a'), 'x 1', 'x 2', banner('b'), 'x 1'];
    text.forEach((l, i) => banners.record(enc(l), 0, l.length, i + 1));
    assert.deepEqual(trainingStarts([1, 2, 1], [2, 3, 5], banners).starts, [2]);
    assert.deepEqual(trainingStarts([1, 2, 2], [2, 3, 5], banners).starts, []);
  });
});

describe('key/value table logs (baselines / Stable-Baselines3 logger)', () => {
  const table = (...rows: [string, string][]) => [
    '-------------------------------',
    ...rows.map(([k, v]) => `| ${k.padEnd(18)} | ${v.padEnd(8)} |`),
    '-------------------------------',
    '',
  ];
  test('one record per table; the namespaced step counter is the step; values as printed', async () => {
    const r = await parse(
      lines(
        'Logging to /tmp/openai-2018-03-27',
        ...table(['rollout/return', '-1.23e+03'], ['total/steps', '2000'], ['train/loss_critic', '288']),
        ...table(['rollout/return', '-1.38e+03'], ['total/steps', '4000'], ['train/loss_critic', '168']),
        ...table(['rollout/return', '-900'], ['total/steps', '6000'], ['train/loss_critic', '5.63e+03']),
      ),
      'log.txt',
    );
    const run = one(r);
    assert.equal(run.format, 'kv-table');
    assert.deepEqual(pts(run, 'train/loss_critic'), { step: [2000, 4000, 6000], value: [288, 168, 5630] });
    assert.equal(run.meta.stepAxis?.value, 'total/steps');
  });
  test('section rows (SB3 `time/`) prefix the indented keys below them', async () => {
    const run = one(
      await parse(
        lines(
          ...table(['time/', ''], ['   total_timesteps', '2048'], ['train/', ''], ['   loss', '0.5']),
          ...table(['time/', ''], ['   total_timesteps', '4096'], ['train/', ''], ['   loss', '0.25']),
        ),
        'progress.txt',
      ),
    );
    assert.deepEqual(pts(run, 'train/loss'), { step: [2048, 4096], value: [0.5, 0.25] });
  });
});
