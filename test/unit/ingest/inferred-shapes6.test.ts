/**
 * The readers on the failure classes of the retired hold-out 6 and of the dev misses left after it (issue 14):
 * synthetic lines modelled on each class, small enough that the expected series is written by hand from the text
 * (never taken from the reader's output). Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';
import { announcesEval } from '../../../src/ingest/readers/inferred';

describe('a counter that restarts under an epoch header', () => {
  test('a split word before it (`Train 100:`) is composed with the `Epoch E begin` header above, restarts included', async () => {
    const p = '2022-02-08 17:39:14,740 - train_logger - INFO:';
    const run = one(
      await parse(
        lines(
          `${p}  Epoch 0 begin`,
          `${p} Train 100: loss:1.5`,
          `${p} Train 200: loss:1.3`,
          // the script is started again: the same header, the counter back at 100 (an attempt of the same epoch)
          `${p}  Epoch 0 begin`,
          `${p} Train 100: loss:1.4`,
          `${p} Train 200: loss:1.2`,
          `${p} Train 300: loss:1.1`,
          `${p}  Epoch 1 begin`,
          `${p} Train 100: loss:0.9`,
          `${p} Train 200: loss:0.8`,
          `${p}  Epoch 2 begin`,
          `${p} Train 100: loss:0.7`,
        ),
        'train.log',
      ),
    );
    // 300 batches per epoch (the largest counter seen): epoch × 300 + batch; the restart's batches 100 and 200
    // rewrite epoch 0's first points
    assert.deepEqual(pts(run, 'train/loss'), {
      step: [100, 200, 300, 400, 500, 700],
      value: [1.4, 1.2, 1.1, 0.9, 0.8, 0.7],
    });
  });
});

describe('evaluation announced by the line before', () => {
  test('a words-only line saying evaluation (`testing in eval mode`) makes the record right after it an evaluation record', async () => {
    const run = one(
      await parse(
        lines(
          'testing in eval mode……',
          'epoch: 0,  loss is: 2.5, acc is: 0.07',
          'epoch: 0,  loss is: 0.63, acc is: 0.78',
          'testing in eval mode……',
          'epoch: 0,  loss is: 0.49, acc is: 0.83',
          'Now continue training……',
          'epoch: 1,  loss is: 0.37, acc is: 0.87',
          'testing in eval mode……',
          'epoch: 1,  loss is: 0.58, acc is: 0.80',
          'Now continue training……',
          'epoch: 2,  loss is: 0.29, acc is: 0.90',
          'testing in eval mode……',
          'epoch: 2,  loss is: 0.50, acc is: 0.84',
        ),
        'training_log.txt',
      ),
    );
    assert.deepEqual(pts(run, 'train/loss'), { step: [0, 1, 2], value: [0.63, 0.37, 0.29] });
    assert.deepEqual(pts(run, 'val/loss'), { step: [0, 1, 2], value: [0.49, 0.58, 0.5] });
  });

  test('a table header naming evaluation columns (`epoch,loss,val_loss`) announces nothing', () => {
    const says = (t: string) => announcesEval(Buffer.from(t), 0, Buffer.byteLength(t));
    assert.equal(says('testing in eval mode……'), true);
    assert.equal(says('Validating'), true);
    assert.equal(says('Now continue training……'), false);
    assert.equal(says('epoch,acc,loss,lr,val_acc,val_loss'), false);
    assert.equal(says('epoch\tloss\tval loss'), false);
  });
});

describe('a step column that never moves', () => {
  test('a Keras CSVLogger whose epoch is 0 on every row (one fit() per row) is read in record order', async () => {
    const run = one(
      await parse(
        lines(
          'epoch,categorical_accuracy,loss,val_categorical_accuracy,val_loss',
          '0,0.76,0.71,0.87,0.41',
          '0,0.92,0.25,0.93,0.21',
          '0,0.95,0.17,0.94,0.18',
          '0,0.96,0.13,0.96,0.12',
        ),
        'history.csv',
      ),
    );
    assert.equal(run.format, 'keras-csv');
    assert.deepEqual(pts(run, 'train/loss'), { step: [0, 1, 2, 3], value: [0.71, 0.25, 0.17, 0.13] });
    assert.equal(run.meta.stepAxis?.value, 'record order');
  });

  test('an epoch column that moves is still the step', async () => {
    const run = one(await parse(lines('epoch,loss,val_loss', '0,0.7,0.4', '1,0.25,0.2', '2,0.17,0.18'), 'history.csv'));
    assert.deepEqual(pts(run, 'train/loss').step, [0, 1, 2]);
  });
});

describe('several trainings in one file', () => {
  const rec = (cfg: string, e: number, loss: string) =>
    `2025-06-02 14:24:20,402 - INFO - Config: {'filter_config': '${cfg}', 'lr': 0.001}, Epoch ${e}/3, Train Loss: ${loss}, Test Acc: 57.66%`;

  test('a hyper-parameter search printing its configuration in every record: one run per configuration', async () => {
    const r = await parse(
      lines(
        rec('wide', 1, '1.5'),
        rec('wide', 2, '1.2'),
        rec('wide', 3, '1.0'),
        rec('large', 1, '1.4'),
        rec('large', 2, '1.1'),
        rec('large', 3, '0.9'),
        rec('deep', 1, '1.3'),
        rec('deep', 2, '1.25'),
      ),
      'hyperparameter_search.log',
    );
    assert.deepEqual(
      r.runs.map((run) => run.id.replace('/tmp/hyperparameter_search.log', '')),
      ['#training 1', '#training 2', ''],
    );
    assert.deepEqual(pts(r.runs[0], 'train/loss'), { step: [1, 2, 3], value: [1.5, 1.2, 1.0] });
    assert.deepEqual(pts(r.runs[1], 'train/loss'), { step: [1, 2, 3], value: [1.4, 1.1, 0.9] });
    // the last training is the file's own run (its id is the path), with only its own points
    assert.deepEqual(pts(r.runs[2], 'train/loss'), { step: [1, 2], value: [1.3, 1.25] });
    assert.ok(r.diagnostics.some((d) => /3 trainings in this file/.test(d.message)));
  });

  test('the same record text again (a relaunch) or a continuation in other words stays one run', async () => {
    // a relaunch: the same template, steps back to the start — attempts of one run, last write per step
    const relaunch = one(
      await parse(lines(rec('wide', 1, '1.5'), rec('wide', 2, '1.2'), rec('wide', 1, '1.45'), rec('wide', 2, '1.15'))),
    );
    assert.deepEqual(pts(relaunch, 'train/loss'), { step: [1, 2], value: [1.45, 1.15] });
    // other words, but the steps go on: one training
    const phases = one(
      await parse(
        lines(
          'warmup phase: step 1, loss 2.0',
          'warmup phase: step 2, loss 1.8',
          'decay phase: step 3, loss 1.5',
          'decay phase: step 4, loss 1.4',
        ),
      ),
    );
    assert.deepEqual(pts(phases, 'train/loss').step, [1, 2, 3, 4]);
  });
});

describe('a finished training followed by one from the start', () => {
  const p = '2025-10-07 07:12:58,119 - INFO -';
  const ids = (r: { runs: { id: string }[] }) => r.runs.map((run) => run.id.replace('/tmp/x.log', ''));

  test('after an early stop line: two runs, each with its own points', async () => {
    const r = await parse(
      lines(
        `${p} Epoch 1, Loss: 2.0`,
        `${p} Epoch 2, Loss: 1.5`,
        `${p} Epoch 3, Loss: 1.6`,
        `${p} Early stopping triggered.`,
        `${p} Epoch 1, Loss: 1.9`,
        `${p} Epoch 2, Loss: 1.4`,
      ),
    );
    assert.deepEqual(ids(r), ['#training 1', '']);
    assert.deepEqual(pts(r.runs[0], 'train/loss'), { step: [1, 2, 3], value: [2, 1.5, 1.6] });
    assert.deepEqual(pts(r.runs[1], 'train/loss'), { step: [1, 2], value: [1.9, 1.4] });
  });

  test('after its planned total (`Epoch 3/3`): two runs', async () => {
    const r = await parse(
      lines(
        'Epoch 1/3 - Train Loss: 2.0',
        'Epoch 2/3 - Train Loss: 1.5',
        'Epoch 3/3 - Train Loss: 1.2',
        'Epoch 1/3 - Train Loss: 1.9',
        'Epoch 2/3 - Train Loss: 1.4',
      ),
    );
    assert.deepEqual(ids(r), ['#training 1', '']);
    assert.deepEqual(pts(r.runs[1], 'train/loss'), { step: [1, 2], value: [1.9, 1.4] });
  });

  test('after an attempt that just stopped (a crash, then the script again): one run, last write per step', async () => {
    const run = one(
      await parse(
        lines(
          'Epoch 1/3 - Train Loss: 2.0',
          'Epoch 2/3 - Train Loss: 1.5',
          'Traceback (most recent call last):',
          'Epoch 1/3 - Train Loss: 1.9',
          'Epoch 2/3 - Train Loss: 1.4',
          'Epoch 3/3 - Train Loss: 1.1',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss'), { step: [1, 2, 3], value: [1.9, 1.4, 1.1] });
  });
});
