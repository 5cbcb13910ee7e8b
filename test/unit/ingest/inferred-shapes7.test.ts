/**
 * The general reader on the failure classes of the retired hold-out 7 (issue 14, batch 10, scored once, blind, at
 * 1d76190): synthetic lines modelled on each class, small enough that the expected series is written by hand from
 * the text (never taken from the reader's output). Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';
import { parseText } from '../../../src/ingest/incremental';
import { inferredReader } from '../../../src/ingest/readers/inferred';

describe('month-name dates', () => {
  test('`[Mar 29, 16:21:59] 12 6.25`: a month name and its day inside a bracketed time are a timestamp, not data', async () => {
    const run = one(
      await parse(
        lines(
          '[Mar 29, 16:21:54] #> Loading the queries ...',
          '#>>>    5.09 5.08 \t\t|\t\t 0.01',
          '[Mar 29, 16:21:59] 0 6.5',
          'True',
          '#>>>    5.16 5.35 \t\t|\t\t -0.19',
          '[Mar 29, 23:59:59] 1 6.25',
          'True',
          '#>>>    4.81 5.36 \t\t|\t\t -0.55',
          '[Mar 30, 00:00:01] 2 6.125',
          'True',
          '#>>>    5.58 5.12 \t\t|\t\t 0.46',
          '[Mar 30, 00:00:02] 3 6',
          'True',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').step, [0, 1, 2, 3]);
    assert.deepEqual(pts(run, 'train/loss').value, [6.5, 6.25, 6.125, 6]);
  });
});

describe('quoted values', () => {
  test('a number written as a quoted string after a key (`"loss": "0.264"`, fairseq-hydra dicts) is that key’s value', async () => {
    const p = (t: string) => `[2022-06-06 09:18:${t},886]`;
    const inner = (t: string, epoch: number, loss: string, n: number) =>
      `${p(t)}[train_inner][INFO] - {"epoch": ${epoch}, "update": ${epoch - 1}.252, "loss": "${loss}", "ce_loss": "0.507", "ppl": "1.2", "wps": "218.2", "num_updates": "${n}", "lr": "1.099e-06", "wall": "48"}`;
    const run = one(
      await parse(
        lines(
          `${p('01')}[fairseq_cli.train][INFO] - task: AudioFinetuningTask`,
          `${p('01')}[fairseq_cli.train][INFO] - num. shared model params: 19,486,340 (num. trained: 19,486,340)`,
          `${p('02')}[fairseq.data.iterators][INFO] - grouped total_num_itrs = 794`,
          `${p('03')}[fairseq.trainer][INFO] - begin training epoch 1`,
          `${p('04')}[fairseq_cli.train][INFO] - Start iterating over samples`,
          inner('05', 1, '0.5', 200),
          inner('06', 1, '0.25', 400),
          `${p('07')}[fairseq_cli.train][INFO] - end of epoch 1 (average epoch stats below)`,
          `${p('07')}[valid][INFO] - {"epoch": 1, "valid_loss": "0.267", "valid_ppl": "1.2", "valid_num_updates": "500"}`,
          `${p('08')}[train][INFO] - {"epoch": 1, "train_loss": "0.263", "train_ppl": "1.2", "train_num_updates": "500", "train_wall": "154"}`,
          `${p('09')}[fairseq.checkpoint_utils][INFO] - Preparing to save checkpoint for epoch 1 @ 500 updates`,
          `${p('09')}[fairseq.trainer][INFO] - Saving checkpoint to checkpoints/checkpoint_last.pt`,
          `${p('10')}[fairseq.checkpoint_utils][INFO] - Saved checkpoint checkpoints/checkpoint_last.pt (epoch 1 @ 500 updates, score 0.22) (writing took 2.03 seconds)`,
          `${p('11')}[fairseq.trainer][INFO] - begin training epoch 2`,
          `${p('12')}[fairseq_cli.train][INFO] - Start iterating over samples`,
          inner('13', 2, '0.125', 600),
          inner('14', 2, '0.0625', 800),
          `${p('15')}[fairseq_cli.train][INFO] - end of epoch 2 (average epoch stats below)`,
          `${p('16')}[fairseq.checkpoint_utils][INFO] - Preparing to save checkpoint for epoch 2 @ 1000 updates`,
          `${p('16')}[fairseq.trainer][INFO] - Saving checkpoint to checkpoints/checkpoint_last.pt`,
          `${p('17')}[fairseq.checkpoint_utils][INFO] - Saved checkpoint checkpoints/checkpoint_last.pt (epoch 2 @ 1000 updates, score 0.37) (writing took 2.53 seconds)`,
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').step, [200, 400, 600, 800]);
    assert.deepEqual(pts(run, 'train/loss').value, [0.5, 0.25, 0.125, 0.0625]);
  });
  test('a quoted string that only starts with a number (`"name": "2024-03/29/16.21.45"`) names no value', async () => {
    const run = one(
      await parse(
        lines(
          '{',
          '    "name": "2024-03/29/16.21.45",',
          '    "nway": 4,',
          '}',
          '[Mar 29, 16:21:59] 0 6.5',
          '[Mar 29, 16:22:00] 1 6.25',
          '[Mar 29, 16:22:01] 2 6.125',
          '[Mar 29, 16:22:02] 3 6',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').value, [6.5, 6.25, 6.125, 6]);
  });
});

describe('summary lines', () => {
  test('`- Train Summary | Epoch 1 | Loss=…` beside `- Train | Epoch 1 | 143/573 | … | Loss …`: the summary is its own series', async () => {
    const it = (e: number, i: number, loss: number) =>
      `- Train | Epoch ${e} | ${i}/6 | 1.45 it/sec | Loss ${loss} | Reco 0.2312 | Grad 0.1202`;
    const run = one(
      await parse(
        lines(
          '- Training...',
          it(1, 2, 0.5),
          it(1, 4, 0.25),
          it(1, 5, 0.125),
          '- Train Summary | Epoch 1 | Loss=0.2019 | Reco=0.1994 | Grad=0.0963',
          '- Valid | Epoch 1 | 1/3 | 0.31 it/sec | Loss 0.2213 | Reco 0.2213 | Nsdr 3.922',
          '- Training...',
          it(2, 2, 0.0625),
          it(2, 4, 0.03125),
          it(2, 5, 0.015625),
          '- Train Summary | Epoch 2 | Loss=0.1751 | Reco=0.1728 | Grad=0.0860',
          '- Valid | Epoch 2 | 1/3 | 0.31 it/sec | Loss 0.1913 | Reco 0.2213 | Nsdr 3.922',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').value, [0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625]);
    // the epoch summary is named by both words before it, never by the bare key the training lines share
    const summary = Object.values(run.metrics).find((s) => s.originalName === 'Train Summary Loss');
    assert.ok(
      summary,
      `series: ${Object.values(run.metrics)
        .map((s) => s.originalName)
        .join(', ')}`,
    );
    assert.deepEqual(Array.from(summary.value), [0.2019, 0.1751]);
  });
});

describe('banner counters', () => {
  test('`-----3------` over `train_mean loss:` lines: a number alone between rules is the step of the block below', async () => {
    const block = (e: number, loss: number) => [
      `-----${e}------`,
      `train_mean loss: ${loss}`,
      'train_accuracy: 0.383537',
      'test_mean loss: 4.132127',
      'test_accuracy: 0.040519',
    ];
    const run = one(
      await parse(
        lines(
          ...block(0, 2.5),
          ...block(1, 2.25),
          ...block(2, 2.125),
          // restarted from epoch 0 without a banner: attempts of one run, last write per epoch
          ...block(0, 3.5),
          ...block(1, 1.5),
          ...block(2, 1.25),
          ...block(3, 1.125),
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').step, [0, 1, 2, 3]);
    assert.deepEqual(pts(run, 'train/loss').value, [3.5, 1.5, 1.25, 1.125]);
  });
});

describe('JSON lines with one-element lists', () => {
  test('`{"episode": [3], "train_rep_losses": ["4.65"]}`: a one-element list holding a number is that number', async () => {
    const rec = (ep: number, loss: string) =>
      `{"episode": [${ep}], "train_obj_critics": ["5112179.857790"], "train_rep_losses": ["${loss}"], "val_SR_env0": [1.101123]}`;
    const r = await parse(
      lines(rec(1, '4.5'), rec(2, '4.25'), rec(3, '4.125'), rec(2, '3.5'), rec(3, '3.25'), rec(4, '3.125')),
      'train_log.txt',
    );
    const run = one(r);
    assert.deepEqual(pts(run, 'train_rep_losses').step, [1, 2, 3, 4]);
    assert.deepEqual(pts(run, 'train_rep_losses').value, [4.5, 3.5, 3.25, 3.125]);
    assert.deepEqual(pts(run, 'val_SR_env0').value, [1.101123, 1.101123, 1.101123, 1.101123]);
  });
});

describe('episodes', () => {
  test('`Episode 3 - Steps this episode 9207 - … - Mean Loss 0.825`: the episode is the step', async () => {
    const ep = (e: number, loss: number) =>
      `Episode ${e} - Steps this episode ${1806 * (e + 1)} - Epsilon 1 - Learning Rate 0.0001999 - Cummulative Reward -54545.0 - Mean Loss ${loss} - Mean Q Value -293.411 - Time Delta 17.004`;
    const run = one(await parse(lines('Training Kirby mode: BOSS', ep(0, 1.5), ep(1, 1.25), ep(2, 1.125), ep(3, 1))));
    assert.deepEqual(pts(run, 'train/loss').step, [0, 1, 2, 3]);
    assert.deepEqual(pts(run, 'train/loss').value, [1.5, 1.25, 1.125, 1]);
  });
});

describe('settings between a header and its lines', () => {
  test('`batch = 405` under `Epoch 3/69` is a setting (an assignment), not the step of the lines below', async () => {
    const block = (e: number, loss: number) => [
      `Epoch ${e}/69`,
      '----------',
      'batch = 405',
      'now_margin: 0.3000',
      `train Loss: ${loss} Reg: 0.0000 Acc: 0.0087 MeanMargin: -0.1545`,
      '',
    ];
    const run = one(await parse(lines('Start training...', ...block(0, 0.5), ...block(1, 0.25), ...block(2, 0.125))));
    assert.deepEqual(pts(run, 'train/loss').step, [0, 1, 2]);
    assert.deepEqual(pts(run, 'train/loss').value, [0.5, 0.25, 0.125]);
  });
});

describe('printed trainer dicts', () => {
  test("`{'loss': …, 'epoch': 0.04}` read by the general reader: the rounded epoch is no step, records are in order", async () => {
    const bar = (n: number) => `\r  ${n}%|          | ${n}/120 [03:05<6:07:17, 185.19s/it]\r${' '.repeat(50)}\r`;
    const d = (n: number, loss: number, epoch: number) =>
      `${bar(n)}{'loss': ${loss}, 'grad_norm': 7.7, 'learning_rate': 4.16e-06, 'epoch': ${epoch}}`;
    // (a launcher's output around them made the general reader the one that claims such a file)
    const r = await parseText(
      '/tmp/train.out',
      lines('[INFO] launching 8 ranks', d(1, 0.5, 0.04), d(2, 0.25, 0.08), d(3, 0.125, 0.08), d(4, 0.0625, 0.12)),
      { reader: inferredReader },
    );
    const run = one(r);
    assert.deepEqual(pts(run, 'train/loss').value, [0.5, 0.25, 0.125, 0.0625]);
    assert.deepEqual(pts(run, 'train/loss').step, [1, 2, 3, 4]);
  });
});

describe('epoch numbering', () => {
  test('`epoch: 2/500, iter: 2/3` in a second template of the same lines (YOLOX drops the days of its eta): one epoch origin', async () => {
    const l = (e: number, i: number, eta: string, loss: number) =>
      `2022-03-03 13:24:11.632 | INFO     | yolox.core.trainer:after_iter:260 - epoch: ${e}/500, iter: ${i}/3, mem: 5751Mb, iter_time: 1.390s, total_loss: ${loss}, lr: 1.0e-05, size: 640, ETA: ${eta}`;
    const run = one(
      await parse(
        lines(
          l(1, 1, '1 day, 2:03:04', 12),
          l(1, 2, '1 day, 2:03:01', 11),
          l(1, 3, '1 day, 2:02:58', 10),
          l(2, 1, '1 day, 0:00:04', 9),
          l(2, 2, '23:59:58', 8),
          l(2, 3, '23:59:55', 7),
          l(3, 1, '23:59:51', 6),
          l(3, 2, '23:59:48', 5),
          l(3, 3, '23:59:45', 4),
          l(4, 1, '23:59:41', 3),
        ),
      ),
    );
    assert.deepEqual(pts(run, 'total_loss').step, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe('parameter counts', () => {
  test('`Model Summary: Params: 0.38M` then, at a later launch, `Params: 1.19M`: the later statement is the model', async () => {
    const launch = (params: string, losses: number[]) => [
      `2022-03-03 13:20:08.831 | INFO | yolox.core.trainer:before_train:135 - Model Summary: Params: ${params}, Gflops: 4.31`,
      ...losses.map(
        (loss, i) =>
          `2022-03-03 13:20:30.094 | INFO | yolox.core.trainer:after_iter:260 - epoch: 1/500, iter: ${10 * (i + 1)}/258, total_loss: ${loss}, lr: 4.695e-07`,
      ),
    ];
    const run = one(
      await parse(lines(...launch('0.38M', [12, 11]), ...launch('0.38M', [12.5]), ...launch('1.19M', [10, 9, 8]))),
    );
    assert.equal(run.meta.params?.value, 1.19e6);
  });
  test('`Total parameters: 9,854,851` then `Base model parameters: 9,102,528`: another statement does not replace it', async () => {
    const run = one(
      await parse(
        lines(
          'Total parameters: 9,854,851',
          'Base model parameters: 9,102,528',
          'step 1 loss 2.5',
          'step 2 loss 2.25',
          'step 3 loss 2.125',
        ),
      ),
    );
    assert.equal(run.meta.params?.value, 9854851);
  });
});

describe('planned totals', () => {
  test('`Epoch 3/1000 - Loss Discriminator: …` read per epoch: the epoch total is the planned total', async () => {
    const l = (e: number, d: number) =>
      `Epoch ${e}/1000 - Loss Discriminator: ${d}, Loss Encoder: -1.5, Loss Decoder: 0.5`;
    const run = one(await parse(lines(l(1, 0.5), l(2, 0.25), l(3, 0.125))));
    assert.deepEqual(pts(run, 'Loss Discriminator').step, [1, 2, 3]);
    assert.equal(run.meta.totalSteps?.value, 1000);
  });
  test('the HF Trainer banner `Total optimization steps = 120` states the plan, before any progress bar total', async () => {
    const run = one(
      await parse(
        lines(
          'Loading checkpoint shards:   3%|▎         | 1/30 [00:46<22:33, 46.69s/it]',
          'Loading checkpoint shards:   7%|▋         | 2/30 [01:32<21:33, 46.19s/it]',
          '[INFO|trainer.py:2243] 2025-04-01 07:26:44,413 >> ***** Running training *****',
          '[INFO|trainer.py:2251] 2025-04-01 07:26:44,421 >>   Total optimization steps = 120',
          'step 1 loss 2.5',
          'step 2 loss 2.25',
          'step 3 loss 2.125',
        ),
      ),
    );
    assert.equal(run.meta.totalSteps?.value, 120);
  });
  test('`Train Epoch: 3/70 ...` over `    total_loss: 8.9 time: 15m 1s`: the header’s epoch total is the planned total', async () => {
    const block = (e: number, loss: number) => [
      `20200204-19:54:00 Train Epoch: ${e}/70 ...`,
      `    total_loss: ${loss} time: 15m 1s`,
    ];
    const run = one(await parse(lines(...block(1, 24.5), ...block(2, 20.25), ...block(3, 18.125))));
    assert.deepEqual(pts(run, 'total_loss').step, [1, 2, 3]);
    assert.equal(run.meta.totalSteps?.value, 70);
  });
});

describe('one epoch of several', () => {
  test('`Epoch [2/2], Step [1/4]` only (the file was rewritten when epoch 2 began): steps continue after epoch 1', async () => {
    const l = (i: number, loss: number) =>
      `Epoch [2/2], Step [${i}/4], Loss: ${loss}, Perplexity: 9.1, Time (mins): 0.1`;
    const run = one(await parse(lines(l(1, 2.5), l(2, 2.25), l(3, 2.125), l(4, 2))));
    assert.deepEqual(pts(run, 'train/loss').step, [5, 6, 7, 8]);
  });
});
