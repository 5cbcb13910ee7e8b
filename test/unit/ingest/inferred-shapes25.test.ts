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

describe('Stable-Baselines3 tables of two algorithms one after another (kv-table)', () => {
  const rule = '-----------------------------------';
  const table = (rows: [string, string][]) => [
    rule,
    ...rows.map(([k, v]) =>
      v === '' ? `| ${k.padEnd(22)} |${' '.repeat(10)}|` : `|    ${k.padEnd(18)} | ${v.padEnd(8)} |`,
    ),
    rule,
  ];
  const first = (ts: string, loss: string) =>
    table([
      ['rollout/', ''],
      ['ep_rew_mean', '1.5'],
      ['time/', ''],
      ['total_timesteps', ts],
      ['train/', ''],
      ['loss', loss],
      ['value_loss', '0.02'],
    ]);
  const second = (ts: string, loss: string) =>
    table([
      ['rollout/', ''],
      ['ep_rew_mean', '0.5'],
      ['exploration_rate', '0.3'],
      ['time/', ''],
      ['episodes', '4'],
      ['total_timesteps', ts],
      ['train/', ''],
      ['loss', loss],
    ]);

  test('the step back to the start with keys the first never printed: two runs, the last one last', async () => {
    const r = await parse(
      lines(
        'Using cpu device',
        ...first('1000', '0.50'),
        ...first('2000', '0.40'),
        ...first('3000', '0.30'),
        '# next agent',
        ...second('500', '0.090'),
        ...second('1500', '0.070'),
      ),
      'train.log',
    );
    assert.deepEqual(
      r.runs.map((x) => x.id.replace('/tmp/train.log', '')),
      ['#training 1', ''],
    );
    assert.equal(r.runs[1].format, 'kv-table');
    assert.deepEqual(pts(r.runs[0], 'train/loss'), { step: [1000, 2000, 3000], value: [0.5, 0.4, 0.3] });
    assert.deepEqual(pts(r.runs[1], 'train/loss'), { step: [500, 1500], value: [0.09, 0.07] });
  });

  test('a resume with the same keys stays one run, last write per step', async () => {
    const r = await parse(
      lines(...first('1000', '0.50'), ...first('2000', '0.40'), ...first('1000', '0.45'), ...first('2000', '0.35')),
      'train.log',
    );
    assert.equal(r.runs.length, 1);
    assert.deepEqual(pts(r.runs[0], 'train/loss'), { step: [1000, 2000], value: [0.45, 0.35] });
  });
});

describe('a YOLO console: `Epoch gpu_mem box obj cls` columns, then the fused model summary', () => {
  const head = '     Epoch   gpu_mem       box       obj       cls    labels  img_size';
  const row = (e: number, box: string, obj: string) =>
    `     ${e}/4     2.10G   ${box}   ${obj}         0        9       640: 100%|██████████| 40/40 [00:20<00:00,  2.00it/s]`;
  const text = lines(
    'Model Summary: 214 layers, 7012345 parameters, 7012345 gradients, 15.9 GFLOPs',
    '',
    head,
    row(0, '0.09120', '0.04410'),
    '',
    head,
    row(1, '0.07230', '0.04020'),
    '',
    head,
    row(2, '0.06110', '0.03870'),
    '',
    head,
    row(3, '0.05130', '0.03520'),
    '',
    head,
    row(4, '0.04150', '0.03290'),
    '5 epochs completed in 0.020 hours.',
    'Fusing layers... ',
    'Model Summary: 157 layers, 7001234 parameters, 0 gradients, 15.8 GFLOPs',
  );

  test('the loss is the box column: `obj` beside `box` and `cls` is objectness, and `gpu_mem` a memory', async () => {
    const run = (await parse(text)).runs[0];
    assert.deepEqual(pts(run, 'train/loss'), {
      step: [0, 1, 2, 3, 4],
      value: [0.0912, 0.0723, 0.0611, 0.0513, 0.0415],
    });
    assert.equal(run.metrics['train/loss'].originalName, 'box');
  });

  test('the parameter count is the trained model’s, not the fused copy’s with 0 gradients', async () => {
    const run = (await parse(text)).runs[0];
    assert.equal(run.meta.params?.value, 7012345);
  });
});
