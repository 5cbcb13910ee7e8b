/**
 * The general reader on the failure classes found when the real-log corpus grew by a fresh batch (issue 14,
 * batch 5): synthetic lines modelled on the issue's patterns, each small enough that the expected series is
 * written by hand from the text (never taken from the reader's output). Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { prefixEnd, prefixEndBytes } from '../../../src/ingest/infer/prefix';
import { loadPaths } from '../../../src/cli/load';
import { parseOutputOf } from '../../../src/cli/parseCmd';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { parse, one, pts, lines } from './inferCase';

describe('several losses on one line', () => {
  test('Loss, Semantic loss and IC loss are three series; the bare Loss is the training loss', async () => {
    const run = one(
      await parse(
        lines(
          'Epoch: [0/5] Iter:[0/3], Time: 1.2, Loss: 11.5, Acc:0.1, Semantic loss: 3.5, IC loss: 8.0',
          'Epoch: [0/5] Iter:[1/3], Time: 1.1, Loss: 9.0, Acc:0.2, Semantic loss: 3.0, IC loss: 6.0',
          'Epoch: [0/5] Iter:[2/3], Time: 1.1, Loss: 7.5, Acc:0.3, Semantic loss: 2.5, IC loss: 5.0',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').value, [11.5, 9, 7.5]);
    assert.deepEqual(pts(run, 'Semantic loss').value, [3.5, 3, 2.5]);
    assert.deepEqual(pts(run, 'IC loss').value, [8, 6, 5]);
  });
  test('the order on the line does not matter: a qualified loss first, the bare loss second', async () => {
    const run = one(
      await parse(
        lines('step 1 aux loss 0.5 loss 2.0', 'step 2 aux loss 0.4 loss 1.8', 'step 3 aux loss 0.3 loss 1.7'),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').value, [2, 1.8, 1.7]);
    assert.deepEqual(pts(run, 'aux loss').value, [0.5, 0.4, 0.3]);
  });
});

describe('series from several line templates', () => {
  test('keys that only end in the same word are two series (avg. loss, mem avg. loss)', async () => {
    const run = one(
      await parse(
        lines(
          'it: 1, avg. loss: 6.25, running train acc: 0.0',
          'it: 1, mem avg. loss: 2.25, running mem acc: 0.2',
          'it: 101, avg. loss: 5.06, running train acc: 0.02',
          'it: 101, mem avg. loss: 3.17, running mem acc: 0.29',
          'it: 201, avg. loss: 4.86, running train acc: 0.03',
          'it: 201, mem avg. loss: 3.31, running mem acc: 0.26',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss'), { step: [1, 101, 201], value: [6.25, 5.06, 4.86] });
    assert.deepEqual(pts(run, 'mem avg. loss').value, [2.25, 3.17, 3.31]);
  });
  test('whole spellings of one metric on the same axis are one series (Loss / Training Loss), last write per step', async () => {
    const run = one(
      await parse(
        lines(
          'Epoch 1, Batch 0/8, Loss: 2.5',
          'Epoch 1 Training - Loss: 1.2, Acc: 0.8',
          'Epoch 2, Batch 0/8, Loss: 0.29',
          'Epoch 2 Training - Loss: 0.25, Acc: 0.9',
          'Epoch 3, Batch 0/8, Loss: 0.2',
          'Epoch 3 Training - Loss: 0.15, Acc: 0.95',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss'), { step: [1, 2, 3], value: [1.2, 0.25, 0.15] });
  });
});

describe('one print statement used by the training and the evaluation loop', () => {
  const epoch = (e: number, base: number) => [
    `Epoch ${e}/3`,
    `step  10/20 - loss: ${base}`,
    `step  20/20 - loss: ${base - 0.1}`,
    'Eval begin...',
    `step  5/8 - loss: ${base + 1}`,
    `step  8/8 - loss: ${base + 0.9}`,
  ];
  test('rows are split by the loop size N/M; the bigger loop is the training series, made global with its epoch', async () => {
    const run = one(await parse(lines(...epoch(1, 3), ...epoch(2, 2), ...epoch(3, 1))));
    assert.deepEqual(pts(run, 'train/loss'), { step: [10, 20, 30, 40, 50, 60], value: [3, 2.9, 2, 1.9, 1, 0.9] });
    assert.deepEqual(pts(run, 'loss (loop of 8)'), { step: [5, 8, 13, 16, 21, 24], value: [4, 3.9, 3, 2.9, 2, 1.9] });
  });
  test('a total that changes once (a restart with a new plan) is not a second loop', async () => {
    const r = await parse(
      lines(
        'it 1/5 loss=3',
        'it 2/5 loss=2.5',
        'it 3/5 loss=2.2',
        'it 2/8 loss=2.4',
        'it 3/8 loss=2.1',
        'it 4/8 loss=2.0',
      ),
    );
    assert.deepEqual(pts(one(r), 'train/loss'), { step: [1, 2, 3, 4], value: [3, 2.4, 2.1, 2] });
  });
});

describe('a step counter that restarts each epoch, made global with its outer counter', () => {
  test('a split word keys the epoch (timm: Train: E [i/N])', async () => {
    const run = one(
      await parse(
        lines(
          'Train: 0 [   0/390 (  0%)]  Loss: 6.0 (6.0)  LR: 1.0e-04',
          'Train: 0 [ 200/390 ( 51%)]  Loss: 5.0 (5.5)  LR: 1.0e-04',
          'Train: 1 [   0/390 (  0%)]  Loss: 4.0 (4.0)  LR: 1.0e-04',
          'Train: 1 [ 200/390 ( 51%)]  Loss: 3.0 (3.5)  LR: 1.0e-04',
        ),
      ),
    );
    // the epoch is the step's outer counter, not a loss named after the split word
    assert.deepEqual(pts(run, 'train/loss'), { step: [0, 200, 390, 590], value: [6, 5, 4, 3] });
  });
  test('an unkeyed N/M before a keyed batch counter ([e/E] batch i/N loss=…)', async () => {
    const run = one(
      await parse(
        lines(
          '[1/100] batch 50/400 loss=3.0 lr=1e-5',
          '[1/100] batch 100/400 loss=2.5 lr=1e-5',
          '[2/100] batch 50/400 loss=2.0 lr=1e-5',
          '[2/100] batch 100/400 loss=1.5 lr=1e-5',
        ),
      ),
    );
    // epochs counted from 1 (the first epoch is 1): (e − 1) × 400 + i
    assert.deepEqual(pts(run, 'train/loss'), { step: [50, 100, 450, 500], value: [3, 2.5, 2, 1.5] });
  });
  test('the epoch on a header line above (Epoch E/M, then step i/N - loss: …)', async () => {
    const run = one(
      await parse(
        lines(
          'Epoch 1/3',
          'step  10/20 - loss: 0.9',
          'step  20/20 - loss: 0.8',
          'Epoch 2/3',
          'step  10/20 - loss: 0.7',
          'step  20/20 - loss: 0.6',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss'), { step: [10, 20, 30, 40], value: [0.9, 0.8, 0.7, 0.6] });
  });
  test('a restart of the run (the header goes back with the counter) is not an epoch: last write per step', async () => {
    const r = await parse(
      lines(
        'Epoch [1/50]',
        'Iter: 0 | Train Loss: 9.0',
        'Iter: 100 | Train Loss: 5.0',
        'Epoch [2/50]',
        'Iter: 200 | Train Loss: 4.0',
        'Epoch [1/50]',
        'Iter: 0 | Train Loss: 8.0',
        'Iter: 100 | Train Loss: 4.5',
      ),
    );
    const run = one(r);
    assert.deepEqual(pts(run, 'train/loss'), { step: [0, 100, 200], value: [8, 4.5, 4] });
    assert.ok(r.diagnostics.some((d) => /goes back/.test(d.message)));
  });
  test('a log that starts at a later epoch (resumed) keeps the absolute step', async () => {
    const run = one(
      await parse(
        lines(
          'Epoch: [352/520] Iter:[0/10], Loss: 1.5',
          'Epoch: [352/520] Iter:[5/10], Loss: 1.4',
          'Epoch: [353/520] Iter:[0/10], Loss: 1.3',
          'Epoch: [353/520] Iter:[5/10], Loss: 1.2',
        ),
      ),
    );
    // 0-based (no epoch reaches the stated 520): 352 × 10 + i
    assert.deepEqual(pts(run, 'train/loss').step, [3520, 3525, 3530, 3535]);
  });
});

describe('logger prefixes', () => {
  const cases: [string, string][] = [
    // Python logging's default of the Hugging Face examples: asctime - levelname - name - message
    ["12/11/2023 05:18:52 - INFO - __main__ -   {'loss': 1.5, 'epoch': 0.02}", "{'loss': 1.5, 'epoch': 0.02}"],
    ['2024-03-06 19:40:31,330 - INFO - transformers.trainer - step 3 loss 1', 'step 3 loss 1'],
    // the Python logging docs' format: asctime - name - levelname - message
    [
      '2025-07-05 12:57:11,293 - __main__ - INFO - Epoch 1, Batch 0/8, Loss: 2.5535',
      'Epoch 1, Batch 0/8, Loss: 2.5535',
    ],
    // timm's logger: name before a bracketed, padded level
    [
      '2024-03-06 19:40:31,330 -                train: [    INFO] - Train: 0 [   0/390 (  0%)]  Loss: 13.42',
      'Train: 0 [   0/390 (  0%)]  Loss: 13.42',
    ],
    // capture tools that prefix every line of a console (bench/perturbStudy.ts): moreutils `ts`, the journal, Ray
    ['Mar 01 10:00:07 step 3 | loss 2.5', 'step 3 | loss 2.5'],
    ['Mar  1 10:00:07.123 Epoch 1 loss 2', 'Epoch 1 loss 2'],
    ['Dec 04 07:21:34 gpu-box python3[4242]: iter 10: loss 3.2', 'iter 10: loss 3.2'],
    ['(TaskRunner pid=48213) step:1 - actor/pg_loss:0.1', 'step:1 - actor/pg_loss:0.1'],
    ['(WorkerDict pid=9, ip=10.0.0.3) loss 2', 'loss 2'],
    // a table row behind a prefix keeps its opening `|`; a loguru separator before the message is still skipped
    ['2026-03-01T10:00:00.123456789Z |    ep_len_mean     | 200      |', '|    ep_len_mean     | 200      |'],
    ['2024-03-06 19:40:31.330 | INFO     | train:fit:88 - loss 1.5', 'loss 1.5'],
    // a line that is all prefix (a blank line under `docker logs --timestamps` or `torchrun --tee`) holds nothing
    ['2026-03-01T10:00:00.123456789Z ', ''],
    ['[default0]:', ''],
  ];
  for (const [line, rest] of cases) {
    test(JSON.stringify(line), () => {
      assert.equal(line.slice(prefixEnd(line)), rest);
      const b = Buffer.from(line, 'latin1');
      assert.equal(prefixEndBytes(b, 0, b.length), prefixEnd(line));
    });
  }
  test('a name not after a level, or not before a bracketed level, is data', () => {
    for (const line of ['loss - 3', 'train: [3/100] loss 2', 'Epoch 3 - loss: 2', '(step=3) loss 2', 'Mar 3 loss 2'])
      assert.equal(prefixEnd(line), 0, line);
  });
  test('dict lines behind that prefix are read as the trainer printed them', async () => {
    const run = one(
      await parse(
        lines(
          '12/11/2023 05:14:10 - INFO - __main__ -   warmup_ratio: 0.03',
          "12/11/2023 05:18:52 - INFO - __main__ -   {'loss': 1.5273, 'learning_rate': 6.3e-05, 'epoch': 0.02}",
          "12/11/2023 05:19:52 - INFO - __main__ -   {'loss': 1.46, 'learning_rate': 8.2e-05, 'epoch': 0.05}",
          "12/11/2023 05:20:52 - INFO - __main__ -   {'loss': 1.198, 'learning_rate': 0.0001, 'epoch': 0.07}",
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').value, [1.5273, 1.46, 1.198]);
  });
  test('quoted keys of a printed dict name the fields (general reader)', async () => {
    const run = one(
      await parse(
        lines("it 1: {'acc': 0.5, 'nll': 2.5}", "it 2: {'acc': 0.6, 'nll': 2.0}", "it 3: {'acc': 0.7, 'nll': 1.5}"),
      ),
    );
    assert.deepEqual(pts(run, 'accuracy').value, [0.5, 0.6, 0.7]);
    assert.deepEqual(pts(run, 'accuracy').step, [1, 2, 3]);
  });
});

describe('parse --json states the step axis the general reader chose', () => {
  const out = async (text: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-axis-'));
    const f = path.join(dir, 'train.log');
    fs.writeFileSync(f, text);
    return parseOutputOf(await loadPaths([f])).runs[0];
  };
  test('a keyed step', async () => {
    const r = await out(lines('step 1 | loss 3.0', 'step 2 | loss 2.5', 'step 3 | loss 2.2'));
    assert.equal(r.format, 'generic-text');
    assert.equal(r.stepAxis?.name, 'step');
    assert.match(r.stepAxis?.source ?? '', /^train\.log:1 — general reader, line template "step 1 \| loss 3\.0"/);
  });
  test('a composed step says how it is computed', async () => {
    const r = await out(
      lines(
        'Epoch [1/2], Step [100/200], Loss: 2.3',
        'Epoch [1/2], Step [200/200], Loss: 2.1',
        'Epoch [2/2], Step [100/200], Loss: 2.0',
        'Epoch [2/2], Step [200/200], Loss: 1.9',
      ),
    );
    assert.equal(r.stepAxis?.name, 'epoch+step');
    assert.match(r.stepAxis?.source ?? '', /global step = \(epoch − 1\) × 200 \+ step/);
  });
  test('no step: record order', async () => {
    const r = await out(lines('loss: 3.0', 'loss: 2.5', 'loss: 2.2'));
    assert.equal(r.stepAxis?.name, 'record order');
  });
});

describe('failure classes of the retired first hold-out (issue 14, batch 6 work)', () => {
  // YOLOv5/v7 results.txt rows: `epoch/last gpu_mem box obj cls total labels img_size P R mAP mAP val×3`
  const yolo = (e: number, last: number, total: number) =>
    `${String(`${e}/${last}`).padStart(10)}     1.86G   0.09854   0.09318         0  ${total.toFixed(4).padStart(8)}        24       416         0         0  0.004895 0.0009547   0.08945   0.01393         0`;
  test('a header-less YOLO results.txt: the 6th column is the training loss, the other columns are named', async () => {
    const run = one(
      await parse(lines(yolo(0, 3, 0.19), yolo(1, 3, 0.15), yolo(2, 3, 0.12), yolo(3, 3, 0.1)), 'results.txt'),
    );
    assert.deepEqual(pts(run, 'train/loss').value, [0.19, 0.15, 0.12, 0.1]);
    assert.deepEqual(pts(run, 'train/loss').step, [0, 1, 2, 3]);
    assert.ok(run.metrics['train/box_loss'] && run.metrics['val/cls_loss'], Object.keys(run.metrics).join(', '));
    // the counter runs 0…3: four epochs planned, not three
    assert.equal(run.meta.totalSteps?.value, 4);
  });
  test('a wide header-less table of another shape keeps every column (numbered), not only the first four', async () => {
    const row = (i: number) => [i, ...Array.from({ length: 11 }, (_, k) => (k + 1) * 10 + i / 10)].join('  ');
    const run = one(await parse(lines(row(1), row(2), row(3))));
    assert.ok(run.metrics['column 12'], Object.keys(run.metrics).join(', '));
  });
  test('an N/M counter that starts at 1 plans M steps', async () => {
    const run = one(await parse(lines('1/3 loss 2.0', '2/3 loss 1.5', '3/3 loss 1.2')));
    assert.equal(run.meta.totalSteps?.value, 3);
  });
});

describe('last write per step in JSON Lines (LLaMA-Factory writes a line per rank, out of order)', () => {
  test('interleaved and repeated current_steps give one point per step, the last written', async () => {
    const rec = (s: number, loss: number) => JSON.stringify({ current_steps: s, total_steps: 40, loss });
    const r = await parse(
      lines(rec(10, 1.0), rec(10, 1.01), rec(20, 0.9), rec(10, 1.02), rec(30, 0.8), rec(20, 0.91), rec(40, 0.7)),
      'trainer_log.jsonl',
    );
    const run = one(r);
    assert.equal(run.format, 'jsonl');
    assert.deepEqual(pts(run, 'train/loss').step, [10, 20, 30, 40]);
    assert.deepEqual(pts(run, 'train/loss').value, [1.02, 0.91, 0.8, 0.7]);
    assert.ok(
      r.diagnostics.some((d) => /last value written for each step/.test(d.message)),
      r.diagnostics.map((d) => d.message).join(' | '),
    );
  });
  test('a file read again after it grew keeps resolving', async () => {
    const rec = (s: number, loss: number) => JSON.stringify({ current_steps: s, loss });
    const run = one(await parse(lines(rec(1, 3), rec(2, 2.5), rec(3, 2.2)), 'trainer_log.jsonl'));
    assert.deepEqual(pts(run, 'train/loss').step, [1, 2, 3]);
  });
});
