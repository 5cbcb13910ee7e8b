/**
 * The general reader on real logs it still read wrong after hold-out 21 (issue 14), third round: synthetic lines
 * modelled on each class, small enough that the expected values are written by hand. Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, pts, lines } from './inferCase';

const ids = (r: { runs: { id: string }[] }) => r.runs.map((run) => run.id.replace('/tmp/x.log', ''));

describe('two trainings one after another, told apart by a decorated banner naming the model', () => {
  const rec = (e: number, v: string) => `Train Epoch: ${e} [0/500 (0%)]\tLoss: ${v}`;
  const after = (e: number, v: string) => `==> Epoch ${e} mean loss: ${v}`;

  test('`>>> Training plain Net` then `>>> Training wide-residual WideNet`, the epoch back to 1: two runs', async () => {
    const r = await parse(
      lines(
        'Device: gpu',
        '>>> Training plain Net',
        rec(1, '2.310000'),
        after(1, '2.3100'),
        rec(2, '1.900000'),
        after(2, '1.9000'),
        rec(3, '1.500000'),
        after(3, '1.5000'),
        '',
        '>>> Training wide-residual WideNet',
        rec(1, '2.200000'),
        after(1, '2.2000'),
        rec(2, '1.700000'),
        after(2, '1.7000'),
      ),
    );
    assert.deepEqual(ids(r), ['#training 1', '']);
    assert.deepEqual(pts(r.runs[0], 'train/loss').value, [2.31, 1.9, 1.5]);
    assert.deepEqual(pts(r.runs[1], 'train/loss'), { step: [1, 2], value: [2.2, 1.7] });
  });

  test('a config line reprinted with another model name (`--- convnet12 on data ---`, `--- convnet34 …`): two runs', async () => {
    const r = await parse(
      lines(
        'args: depth=12, width=64',
        '--- convnet12 on data (10 classes) ---',
        'begin',
        'Epoch 001 loss  3.1000 | time 1.2s',
        'Epoch 002 loss  2.5000 | time 1.1s',
        'args: depth=34, width=64',
        '--- convnet34 on data (10 classes) ---',
        'begin',
        'Epoch 001 loss  3.3000 | time 2.2s',
        'Epoch 002 loss  2.9000 | time 2.1s',
        'Epoch 003 loss  2.6000 | time 2.1s',
      ),
    );
    assert.deepEqual(ids(r), ['#training 1', '']);
    assert.deepEqual(pts(r.runs[1], 'train/loss'), { step: [1, 2, 3], value: [3.3, 2.9, 2.6] });
  });

  test('a relaunch reprinting the same banner (its date aside) stays one run, last write per step', async () => {
    const r = await parse(
      lines(
        '=== Training Net (Mon Mar  4 10:00:00 2024) ===',
        rec(1, '2.310000'),
        rec(2, '1.900000'),
        '=== Training Net (Tue Mar  5 09:30:00 2024) ===',
        rec(1, '2.300000'),
        rec(2, '1.800000'),
        rec(3, '1.400000'),
      ),
    );
    assert.deepEqual(ids(r), ['']);
    assert.deepEqual(pts(r.runs[0], 'train/loss').value, [2.3, 1.8, 1.4]);
  });

  test('a banner announcing an evaluation (`*** Running training ***`, then `*** Running evaluation ***`) starts no training', async () => {
    const r = await parse(
      lines(
        '*** Running training ***',
        rec(1, '2.310000'),
        rec(2, '1.900000'),
        '*** Running evaluation ***',
        rec(1, '2.300000'),
        rec(2, '1.800000'),
      ),
    );
    assert.deepEqual(ids(r), ['']);
  });

  test('an undecorated line that changed (`Training on cpu` then `Training on cuda`) is a relaunch: one run', async () => {
    const r = await parse(
      lines(
        'Training on cpu ...',
        rec(1, '2.310000'),
        rec(2, '1.900000'),
        'Training on cuda ...',
        rec(1, '2.300000'),
        rec(2, '1.800000'),
      ),
    );
    assert.deepEqual(ids(r), ['']);
  });
});
