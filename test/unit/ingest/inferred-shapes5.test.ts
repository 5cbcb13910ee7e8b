/**
 * The readers on the failure classes of the retired hold-out 5 (issue 14): synthetic lines modelled on each class,
 * small enough that the expected series is written by hand from the text (never taken from the reader's output).
 * Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';
import { prefixEnd } from '../../../src/ingest/infer/prefix';

/** One key/value table record between rules of dashes (SB3 / OpenAI-baselines stdout). */
const table = (...rows: [string, string][]) => [
  '-'.repeat(30),
  ...rows.map(([k, v]) => `| ${k.padEnd(20)} | ${v.padEnd(8)} |`),
  '-'.repeat(30),
];

describe('key/value tables', () => {
  test('rows before the first rule (a log kept from its tail) do not decide the step key', async () => {
    const record = (steps: string, loss: string) =>
      table(
        ['time/', ''],
        ['   iterations', '1'],
        ['   total_timesteps', steps],
        ['train/', ''],
        ['   loss', loss],
        ['   n_updates', '8'],
      );
    const run = one(
      await parse(
        lines(
          '|    learning_rate        | 0.00025     |',
          '|    loss                 | 0.75        |',
          '|    n_updates            | 4           |',
          ...record('2048', '0.5'),
          ...record('4096', '0.25'),
          ...record('6144', '0.125'),
        ),
        'train.log',
      ),
    );
    assert.equal(run.format, 'kv-table');
    assert.deepEqual(pts(run, 'train/loss'), { step: [2048, 4096, 6144], value: [0.5, 0.25, 0.125] });
    assert.equal(run.meta.stepAxis?.value, 'time/total_timesteps');
  });
});

describe('loss names', () => {
  test('a cross-entropy key (`xent`) beside its perplexity and an accuracy is the loss (OpenNMT-style)', async () => {
    const run = one(
      await parse(
        lines(
          '[2024-05-08 04:06:12,181 INFO] * number of parameters: 394532',
          '[2024-05-08 04:06:17,722 INFO] Step 50/1000; acc:  12.00; ppl: 26.87; xent: 3.29; lr: 1.00000; 11270/8704 tok/s;      4 sec',
          '[2024-05-08 04:06:22,054 INFO] Step 100/1000; acc:  26.11; ppl: 13.24; xent: 2.58; lr: 1.00000; 10925/8489 tok/s;      9 sec',
          '[2024-05-08 04:06:25,202 INFO] Validation perplexity: 5.45281',
          '[2024-05-08 04:06:25,202 INFO] Validation accuracy: 44.6274',
          '[2024-05-08 04:06:28,390 INFO] Step 150/1000; acc:  45.52; ppl:  6.11; xent: 1.81; lr: 1.00000; 14904/11549 tok/s;     15 sec',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss'), { step: [50, 100, 150], value: [3.29, 2.58, 1.81] });
    assert.equal(run.metrics['train/loss'].originalName, 'xent');
    assert.deepEqual(pts(run, 'train/ppl').value, [26.87, 13.24, 6.11]);
  });
});

describe('prefixes', () => {
  test('`[12/22 20:00:22]` (month/day, no year) is a timestamp prefix', () => {
    const line = '[12/22 20:00:22] d2.utils.events INFO:  eta: 0:08:51  iter: 19  total_loss: 8.858';
    assert.equal(line.slice(prefixEnd(line)), 'd2.utils.events INFO:  eta: 0:08:51  iter: 19  total_loss: 8.858');
  });
  test('a training started again in the same file (detectron2 text log): the clock is not an outer counter', async () => {
    const rec = (hm: string, it: number, loss: string) =>
      `[12/22 ${hm}] d2.utils.events INFO:  eta: 0:0${9 - it / 20}:51  iter: ${it}  cls_acc: 0.78  total_loss: ${loss}  loss_cls: 0.3  lr: 0.0001  max_mem: 5000M`;
    const start = (hm: string) => `[12/22 ${hm}] d2.engine.train_loop INFO: Starting training from iteration 0`;
    const run = one(
      await parse(
        lines(
          start('19:59:55'),
          rec('20:00:22', 19, '8.8'),
          rec('20:00:45', 39, '8.1'),
          rec('20:01:07', 59, '7.7'),
          rec('20:01:29', 79, '7.6'),
          start('22:14:07'),
          rec('22:14:36', 19, '8.5'),
          rec('22:14:58', 39, '8.0'),
          rec('22:15:20', 59, '7.5'),
          rec('22:15:42', 79, '7.0'),
        ),
        'log.txt',
      ),
    );
    assert.deepEqual(pts(run, 'total_loss'), { step: [19, 39, 59, 79], value: [8.5, 8.0, 7.5, 7.0] });
  });
});

describe('step counters', () => {
  test('`epoch=E i=k/M`: a one-letter key before an N/M counter is a loop index, the step within the epoch', async () => {
    const run = one(
      await parse(
        lines(
          'Beginning training 500 epochs, logging every 1, saving every 50, batch size 4.',
          'epoch=0 i=0/3 total_loss=3.5 spectro_loss=0.5 vocoder_loss=3.0',
          'epoch=0 i=1/3 total_loss=3.0 spectro_loss=0.5 vocoder_loss=2.5',
          'epoch=0 i=2/3 total_loss=2.5 spectro_loss=0.5 vocoder_loss=2.0',
          'epoch=1 i=0/3 total_loss=2.0 spectro_loss=0.5 vocoder_loss=1.5',
          'epoch=1 i=1/3 total_loss=1.5 spectro_loss=0.5 vocoder_loss=1.0',
          'CUDA out of memory.',
          'Beginning training 500 epochs, logging every 1, saving every 50, batch size 4.',
          'epoch=0 i=0/3 total_loss=1.0 spectro_loss=0.5 vocoder_loss=0.5',
          'epoch=0 i=1/3 total_loss=0.75 spectro_loss=0.5 vocoder_loss=0.25',
        ),
      ),
    );
    // step = epoch × 3 + i; the training started again rewrites steps 0 and 1 (every attempt, last write wins)
    assert.deepEqual(pts(run, 'total_loss'), { step: [0, 1, 2, 3, 4], value: [1.0, 0.75, 2.5, 2.0, 1.5] });
  });
  test('`Iteration step: N` (a step word qualified by another) is the step key, CRLF lines with an `Epoch: E/M`', async () => {
    const run = one(
      await parse(
        [
          '2025-01-06 15:04:15,292 INFO: Epoch: 0/50, Iteration step: 1300, loss: 5.2',
          '2025-01-06 15:09:40,314 INFO: Epoch: 0/50, Iteration step: 2600, loss: 5.0',
          '2025-01-06 15:13:20,051 INFO: ==============Epoch: 0/50,top 1 acc: 0.0354==============',
          '2025-01-06 15:16:31,625 INFO: Epoch: 1/50, Iteration step: 3900, loss: 4.5',
          '2025-01-06 15:22:11,015 INFO: Epoch: 1/50, Iteration step: 5200, loss: 4.25',
          '2025-01-06 15:27:38,948 INFO: ==============Epoch: 1/50,top 1 acc: 0.0517==============',
          '2025-01-06 15:28:56,858 INFO: Epoch: 2/50, Iteration step: 6500, loss: 4.0',
          '',
        ].join('\r\n'),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss'), {
      step: [1300, 2600, 3900, 5200, 6500],
      value: [5.2, 5.0, 4.5, 4.25, 4.0],
    });
    assert.equal(run.meta.stepAxis?.value, 'iteration step');
  });
  test('a global `iter` beside an epoch that moves on without it resetting is not composed with the epoch (BasicSR)', async () => {
    const rec = (e: number, it: number, l: string) =>
      `2025-02-04 16:48:00,314 INFO: [basel..][epoch:${String(e).padStart(3)}, iter:${it.toLocaleString('en-US').padStart(8)}, lr:(2.999e-05,)] [eta: 2:37:00, time (data): 2.064 (0.521)] l_mos: ${l} l_metric: 1.4853e-01 `;
    const run = one(
      await parse(
        lines(
          '2025-02-04 16:44:33,923 INFO: Start training from epoch: 0, iter: 0',
          rec(1, 100, '4.0e-03'),
          rec(3, 200, '3.0e-03'),
          rec(4, 300, '2.0e-03'),
          rec(6, 400, '1.0e-03'),
          '2025-02-04 17:44:33,923 INFO: Start training from epoch: 0, iter: 0',
          rec(1, 100, '5.0e-03'),
          rec(3, 200, '2.5e-03'),
          rec(4, 300, '1.5e-03'),
          rec(6, 400, '7.5e-04'),
          rec(7, 500, '5.0e-04'),
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss'), {
      step: [100, 200, 300, 400, 500],
      value: [5e-3, 2.5e-3, 1.5e-3, 7.5e-4, 5e-4],
    });
  });
});

describe('BasicSR-style logger under nohup (IQA)', () => {
  const rec = (it: number, l: string) =>
    `2025-02-04 16:48:00,314 INFO: [basel..][epoch:  1, iter:${String(it).padStart(8)}, lr:(2.999e-05,)] [eta: 2:37:00, time (data): 2.064 (0.521)] l_mos: ${l} l_metric: 1.4853e-01 `;
  test("an option `loss_weight: 1.0` is a setting, not a loss: the record's first value is the loss", async () => {
    const run = one(
      await parse(
        lines(
          ...['mos', 'metric', 'rank'].flatMap((n) => [
            `    ${n}_loss_opt:[`,
            '      type: MSELoss',
            '      loss_weight: 1.0',
            '    ]',
          ]),
          rec(100, '4.0e-03'),
          rec(200, '3.0e-03'),
          rec(300, '2.0e-03'),
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss'), { step: [100, 200, 300], value: [4e-3, 3e-3, 2e-3] });
    assert.equal(run.metrics['train/loss'].originalName, 'l_mos');
  });
  test('an integer glued to a file extension (`10264804094.jpg` in a tqdm bar) is a file name, not a value', async () => {
    const bar = (name: string, n: number) =>
      `Test      ${name}.jpg:   ${Math.floor(n / 10)}%|▏         | ${n}/1000 [00:01<01:20, 12.21image/s]`;
    const run = one(
      await parse(
        lines(
          rec(100, '4.0e-03'),
          rec(200, '3.0e-03'),
          '2025-02-04 17:10:57,759 INFO: 1 validation datasets are used for validation.',
          ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => bar(String(10043785683 + 7919 * n), n)),
          rec(300, '2.0e-03'),
          rec(400, '1.0e-03'),
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss'), { step: [100, 200, 300, 400], value: [4e-3, 3e-3, 2e-3, 1e-3] });
    assert.ok(!Object.values(run.metrics).some((m) => m.value.some((v) => v > 1e9)), 'a file name read as a value');
  });
  test('`Total epochs: 100; iters: 5600.` states the plan: it is no header over the lines below', async () => {
    const run = one(
      await parse(
        lines(
          '2025-02-04 16:44:08,100 INFO: Training statistics:',
          '\tTotal epochs: 100; iters: 5600.',
          '2025-02-04 16:44:33,923 INFO: Start training from epoch: 0, iter: 0',
          rec(100, '4.0e-03'),
          rec(200, '3.0e-03'),
          rec(300, '2.0e-03'),
          '2025-02-04 18:44:08,100 INFO: Training statistics:',
          '\tTotal epochs: 100; iters: 11100.',
          '2025-02-04 18:44:33,923 INFO: Start training from epoch: 0, iter: 0',
          rec(100, '5.0e-03'),
          rec(200, '2.5e-03'),
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss'), { step: [100, 200, 300], value: [5e-3, 2.5e-3, 2e-3] });
  });
});
