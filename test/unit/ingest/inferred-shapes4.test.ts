/**
 * The general reader on the failure classes of the retired hold-out 4 (issue 14): synthetic lines modelled on
 * each class, small enough that the expected series is written by hand from the text (never taken from the
 * reader's output). Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

describe('sentences', () => {
  test('`avg loss so far is X`: a key phrase ending in "is" is named by its loss word', async () => {
    const run = one(
      await parse(
        lines(
          'Epoch 0, Step 25, total used time 7.1 (s), avg loss so far is 0.5',
          'Epoch 0, Step 50, total used time 14.0 (s), avg loss so far is 0.25',
          'Epoch 0, Step 75, total used time 20.9 (s), avg loss so far is 0.125',
          'Epoch 0, val loss is 0.0625, val mse is 0.03.',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').value, [0.5, 0.25, 0.125]);
    assert.deepEqual(pts(run, 'train/loss').step, [25, 50, 75]);
    assert.equal(run.metrics['train/loss'].originalName, 'avg loss so far is');
    assert.deepEqual(pts(run, 'val/loss').value, [0.0625]);
  });
});

describe('thousands separators', () => {
  test('a step written `iter:  99,700` after a key is one number (BasicSR-style logger)', async () => {
    const run = one(
      await parse(
        lines(
          '23-05-05 21:26:52.413 - INFO: [epoch:  0, iter:     900, lr:(2.000e-04,)] l_pix: 2.5e+01 ',
          '23-05-05 21:28:02.492 - INFO: [epoch:  0, iter:   1,000, lr:(2.000e-04,)] l_pix: 1.0e+01 ',
          '23-05-05 21:29:13.259 - INFO: [epoch:  1, iter:   1,100, lr:(2.000e-04,)] l_pix: 5.0e-01 ',
          '23-05-05 21:29:13.259 - INFO: [epoch: 16, iter: 100,000, lr:(1.809e-04,)] l_pix: 5.1e-03 ',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').step, [900, 1000, 1100, 100000]);
    assert.deepEqual(pts(run, 'train/loss').value, [25, 10, 0.5, 0.0051]);
  });
  test('cells of a comma-separated row stay apart', async () => {
    const run = one(await parse(lines('step,loss,acc', '1,100,0.5', '2,200,0.25', '3,300,0.125'), 'x.csv'));
    assert.deepEqual(pts(run, 'train/loss').value, [100, 200, 300]);
  });
});

describe('rounded steps', () => {
  test('`step:1K` (a magnitude suffix) joins the `step:800` lines; repeated rounded steps are kept in record order', async () => {
    const run = one(
      await parse(
        lines(
          'INFO 2026-06-12 10:53:24 train.py:357 step:600 smpl:19K loss:2.5 lr:1.0e-05',
          'INFO 2026-06-12 10:55:06 train.py:357 step:800 smpl:26K loss:2.0 lr:1.0e-05',
          'INFO 2026-06-12 10:57:03 train.py:357 step:1K smpl:32K loss:1.5 lr:1.0e-05',
          'INFO 2026-06-12 10:59:03 train.py:357 step:1K smpl:38K loss:1.0 lr:1.0e-05',
          'INFO 2026-06-12 11:01:03 train.py:357 step:1K smpl:45K loss:0.5 lr:1.0e-05',
          'INFO 2026-06-12 11:03:03 train.py:357 step:2K smpl:51K loss:0.25 lr:1.0e-05',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').value, [2.5, 2, 1.5, 1, 0.5, 0.25]);
    assert.deepEqual(pts(run, 'train/loss').step, [1, 2, 3, 4, 5, 6]);
  });
  test('a rounded step that never repeats is the step, scaled', async () => {
    const run = one(await parse(lines('step:1K loss:2.5', 'step:2K loss:2.0', 'step:3K loss:1.5', 'step:4K loss:1.0')));
    assert.deepEqual(pts(run, 'train/loss').step, [1000, 2000, 3000, 4000]);
  });
});

describe('HF Trainer dict lines', () => {
  test('a dict glued to the end of a tqdm bar is a record (CRLF, `\\r` bars)', async () => {
    const bar = (n: number) => `  ${n}%|██▊      | ${n * 10}/1000 [01:0${n}<15:44,  7.03s/it]`;
    const d = (loss: number, epoch: number) =>
      `{'loss': ${loss}, 'grad_norm': 1.5, 'learning_rate': 7e-05, 'epoch': ${epoch}}`;
    const text = [
      '***** Running training *****',
      `\r${bar(0)}\r${bar(1)}\r${bar(2)}${d(4, 0.0)}`,
      d(2, 0.0),
      d(1, 0.01),
      `\r${bar(3)}${d(0.5, 0.01)}`,
      '',
    ].join('\r\n');
    for (const input of [text, Buffer.from(text, 'utf8')]) {
      const run = one(await parse(input));
      assert.deepEqual(pts(run, 'train/loss').value, [4, 2, 1, 0.5]);
      assert.deepEqual(pts(run, 'train/loss').step, [1, 2, 3, 4]);
    }
  });
});

describe('a column table under a header printed once, behind a logger prefix', () => {
  test('JDE: `Epoch Batch box conf id total …` names `0/29 40/165 …` rows; the negative total is the loss', async () => {
    const r = await parse(
      lines(
        '2021-01-25 05:58:00 [INFO]:    Epoch       Batch       box      conf        id     total  nTargets      time',
        'dataset summary',
        'total # identities: 548',
        '      Image      Total          P          R        mAP',
        '         32      30353          0          0          0       2.14s',
        '       1312      30353    0.00108    0.00216    0.00108       2.01s',
        '       2592      30353     0.0052    0.00289    0.00231       2.02s',
        '       3872      30353    0.00397    0.00258    0.00182       2.01s',
        '2021-01-25 05:58:59 [INFO]:     0/2       0/165     0.227      2.06        19       158        83      59.6',
        '2021-01-25 06:04:17 [INFO]:     0/2      80/165     0.172      1.99      18.7       -4.5      81.4      7.12',
        '2021-01-25 06:09:34 [INFO]:     0/2     160/165     0.125      1.34      18.2      -5.25      82.6      7.23',
        '2021-01-25 07:20:13 [INFO]:     1/2       0/165    0.0364     0.104      15.4     -5.5      94.1  3.57e+03',
        '2021-01-25 07:25:31 [INFO]:     1/2      80/165    0.0351    0.0865      15.5     -5.75      83.5      7.22',
      ),
    );
    const run = one(r);
    assert.deepEqual(pts(run, 'train/loss').value, [158, -4.5, -5.25, -5.5, -5.75]);
    assert.deepEqual(pts(run, 'train/loss').step, [0, 80, 160, 165, 245]);
    assert.equal(run.metrics['train/loss'].originalName, 'total');
    assert.deepEqual(pts(run, 'box').value, [0.227, 0.172, 0.125, 0.0364, 0.0351]);
  });
});

describe('sentences with step keys and loss components', () => {
  test('EAST: `Epoch is [2/600], mini-batch is [N/1083]` is the step; a line of `X loss is` components is not the loss', async () => {
    const r = await parse(
      lines(
        'classify loss is 0.11, angle loss is 0.07, iou loss is 0.27',
        'Epoch is [2/600], mini-batch is [1/1083], time consumption is 0.91, batch_loss is 1.5',
        'classify loss is 0.10, angle loss is 0.04, iou loss is 0.35',
        'Epoch is [2/600], mini-batch is [2/1083], time consumption is 0.56, batch_loss is 1.25',
        'classify loss is 0.09, angle loss is 0.05, iou loss is 0.18',
        'Epoch is [2/600], mini-batch is [3/1083], time consumption is 0.56, batch_loss is 0.75',
      ),
    );
    const run = one(r);
    assert.deepEqual(pts(run, 'train/loss').value, [1.5, 1.25, 0.75]);
    // epoch 2 of a resumed run, its mini-batch counted from 1: step = (2 − 1) × 1083 + mini-batch
    assert.deepEqual(pts(run, 'train/loss').step, [1084, 1085, 1086]);
    assert.deepEqual(pts(run, 'angle loss').value, [0.07, 0.04, 0.05]);
  });
});

describe('namespaced step counters', () => {
  test('stable-baselines3 progress.csv: `time/total_timesteps` is the step, not `time/iterations` before it', async () => {
    const run = one(
      await parse(
        lines(
          'rollout/ep_rew_mean,time/fps,time/iterations,time/total_timesteps,train/loss,train/n_updates',
          '-7.5,1171,1,1024,,',
          '-7.2,762,2,2048,1.5,10',
          '-7.0,700,3,3072,1.25,20',
          '-6.5,690,4,4096,0.5,30',
        ),
        'progress.csv',
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').step, [2048, 3072, 4096]);
    assert.deepEqual(pts(run, 'train/loss').value, [1.5, 1.25, 0.5]);
  });
});

describe('a CSV without a step column', () => {
  test('a `.csv` whose header names a loss is read in row order, even with a number inside a column name', async () => {
    const run = one(
      await parse(
        lines(
          'agent acc,discriminator loss total,entropy loss,loss,max 100 episode reward,num episodes',
          '0.8125,1.33,0.68,10.5,34,4',
          '0.71875,0.96,0.61,5.25,172,354',
          '0.6875,1.07,0.60,1.5,200,481',
        ),
        'progress.csv',
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').value, [10.5, 5.25, 1.5]);
    assert.equal(pts(run, 'train/loss').step.length, 3);
  });
});

describe('a parameter count on a keyed line', () => {
  test('`Network G structure: HDRUNet, with parameters: 1,651,494` is the stated parameter count', async () => {
    const run = one(
      await parse(
        lines(
          '23-05-05 21:25:39.956 - INFO: Network G structure: HDRUNet, with parameters: 1,651,494',
          '23-05-05 21:26:52.413 - INFO: [epoch:  0, iter:     100, lr:(2.000e-04,)] l_pix: 2.5e-01 ',
          '23-05-05 21:28:02.492 - INFO: [epoch:  0, iter:     200, lr:(2.000e-04,)] l_pix: 1.0e-01 ',
          '23-05-05 21:29:13.259 - INFO: [epoch:  0, iter:     300, lr:(2.000e-04,)] l_pix: 5.0e-02 ',
        ),
      ),
    );
    assert.equal(run.meta.params?.value, 1651494);
  });
});
