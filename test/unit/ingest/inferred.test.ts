/**
 * The general reader (structure inference) on one synthetic case per failure pattern of issue 14, plus the
 * prefix stripper, the byte/string differential and chunking invariance. Expected values are written from the
 * text of each case by hand (the lines are short), never taken from the reader's own output.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseBytes, parseText } from '../../../src/ingest/incremental';
import { prefixEnd, prefixEndBytes } from '../../../src/ingest/infer/prefix';
import { Shape, tokenize } from '../../../src/ingest/infer/tokenize';
import { Column } from '../../../src/ingest/infer/templates';
import { findMetric } from '../../../src/cli/load';
import { nanogptReader } from '../../../src/ingest/readers/nanogpt';
import { inferredReader } from '../../../src/ingest/readers/inferred';
import { LineFeeder } from '../../../src/ingest/lineFeeder';
import { LogFile, parseFile } from '../../../src/ingest/incremental';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ParseResult, Run } from '../../../src/ingest/types';

import { parse, one, pts, lines } from './inferCase';

describe('prefix stripper', () => {
  const cases: [string, string][] = [
    ['[2026-03-01 10:00:00.123456] iter 5: loss 4.2', 'iter 5: loss 4.2'],
    ['2026-03-01T10:00:00Z iteration 10/ 100 | lm loss: 3.2 |', 'iteration 10/ 100 | lm loss: 3.2 |'],
    ['2026-03-01T10:00:00.5+01:00 step 1', 'step 1'],
    ['I0301 10:00:00.123456 4242 train.py:88] step 5 loss 2', 'step 5 loss 2'],
    ['[rank0]: step 3 loss 1', 'step 3 loss 1'],
    ['[train] step 3 loss 1', 'step 3 loss 1'],
    ['INFO:root:step 3 loss 1', 'step 3 loss 1'],
    ['2026-03-01 10:00:00,123 - INFO - step 3 loss 1', 'step 3 loss 1'],
    ['2026-03-01 10:00:00.123 | INFO     | __main__:train:42 - step 3 loss 1', 'step 3 loss 1'],
    ['\x1b[32mINFO\x1b[0m step=1 loss=2', 'step=1 loss=2'],
    ['[INFO 2026-03-01 10:00:00] epoch 1', 'epoch 1'],
  ];
  for (const [line, rest] of cases) {
    test(JSON.stringify(line), () => {
      assert.equal(line.slice(prefixEnd(line)), rest);
      const b = Buffer.from(line, 'latin1');
      assert.equal(prefixEndBytes(b, 0, b.length), prefixEnd(line));
    });
  }
  test('data that looks like a tag is kept', () => {
    for (const line of [
      '[step 12] loss=0.13',
      '[3/100] loss 2',
      'Epoch [3/100], Step [200/500]',
      '120 train 3.41',
      'error 0.31',
      'step 5 | loss 2',
      '12:34 loss 3',
      '10 loss 3',
    ])
      assert.equal(prefixEnd(line), 0, line);
  });
  test('bytes and strings agree on random ASCII lines (differential)', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const alphabet = '[]()0123456789:-/ .,TZ|IWEFINFOWARNINGrank_trainstep=\x1b';
    for (let n = 0; n < 5000; n++) {
      let s = '';
      const len = Math.floor(rnd() * 40);
      for (let k = 0; k < len; k++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      const b = Buffer.from(s, 'latin1');
      assert.equal(prefixEndBytes(b, 0, b.length), prefixEnd(s), JSON.stringify(s));
      // the same line inside a bigger buffer
      const big = Buffer.concat([Buffer.from('xx\n'), b, Buffer.from('\nyy')]);
      assert.equal(prefixEndBytes(big, 3, 3 + b.length) - 3, prefixEnd(s), JSON.stringify(s));
    }
  });
});

describe('tokenizer', () => {
  test('templates ignore the numbers, keep the literal text; units, identifiers, dates', () => {
    const shape = (s: string) => {
      const sh = new Shape();
      const b = Buffer.from(s);
      tokenize(b, 0, b.length, sh);
      return { hash: sh.hash, vals: Array.from(sh.val.subarray(0, sh.nf)) };
    };
    assert.equal(shape('step 1 | loss 2.5').hash, shape('step 200 | loss   -3e-4').hash);
    assert.deepEqual(shape('step 200 | loss   -3e-4').vals, [200, -3e-4]);
    assert.notEqual(shape('step 1 | loss 2.5').hash, shape('step 1 | acc 2.5').hash);
    assert.deepEqual(shape('rank0 gpt2-small ckpt-1000 v1.2 time 12ms 45%').vals, [12, 45]);
    assert.deepEqual(shape('2026-03-01 x').vals, [2026, 3, 1]);
    assert.deepEqual(shape('loss nan acc inf').vals, [NaN, Infinity]);
    assert.equal(shape('\x1b[32mstep\x1b[0m 1').hash, shape('step 2').hash);
    assert.equal(shape('|██▌   | 5/10').hash, shape('|█████████▉| 9/10').hash);
  });
});

describe('pattern 1: prefixes before known formats', () => {
  test('nanoGPT iter lines behind timestamps go to the nanoGPT reader', async () => {
    const r = await parse(
      lines(
        '[2026-03-01 10:00:00.123456] iter 0: loss 4.2000, time 10.00ms, mfu -100.00%',
        '[2026-03-01 10:00:01.123456] iter 1: loss 4.1000, time 10.00ms, mfu 1.00%',
        '[2026-03-01 10:00:02.123456] iter 2: loss 4.0000, time 10.00ms, mfu 1.00%',
      ),
    );
    const run = one(r);
    assert.equal(run.format, 'nanogpt');
    assert.deepEqual(pts(run, 'train/loss'), { step: [0, 1, 2], value: [4.2, 4.1, 4] });
  });
  test('Megatron iteration lines behind glog headers go to the Megatron reader', async () => {
    const it = (i: number, l: string) =>
      `I0301 10:00:0${i}.123 4242 training.py:88] iteration ${i}0/ 100 | consumed samples: ${i * 8} | learning rate: 1.0E-04 | lm loss: ${l} | loss scale: 1.0 |`;
    const run = one(await parse(lines(it(1, '9.1E+00'), it(2, '8.5E+00'), it(3, '8.0E+00'))));
    assert.equal(run.format, 'megatron');
    assert.deepEqual(pts(run, 'train/loss'), { step: [10, 20, 30], value: [9.1, 8.5, 8] });
    assert.equal(run.meta.totalSteps?.value, 100);
  });
});

describe('pattern 2: free-form key/value lines', () => {
  test('step N | loss X | ppl Y', async () => {
    const run = one(
      await parse(
        lines(
          'starting',
          'step 700 | loss 4.51 | ppl 91.0',
          'step 800 | loss 4.41 | ppl 81.0',
          'step 900 | loss 4.31 | ppl 71.0',
        ),
      ),
    );
    assert.equal(run.format, 'generic-text');
    assert.deepEqual(pts(run, 'train/loss'), { step: [700, 800, 900], value: [4.51, 4.41, 4.31] });
    assert.deepEqual(pts(run, 'train/ppl').value, [91, 81, 71]);
  });
  test('[step N] loss=X acc=Y', async () => {
    const run = one(
      await parse(
        lines('[step 12] loss=0.13 acc=0.91', '[step 13] loss=0.12 acc=0.92', '[step 14] loss=0.11 acc=0.93'),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss'), { step: [12, 13, 14], value: [0.13, 0.12, 0.11] });
    assert.deepEqual(pts(run, 'accuracy').value, [0.91, 0.92, 0.93]);
  });
  test('Epoch N/M - Train Loss: X, Val Loss: Y', async () => {
    const run = one(
      await parse(
        lines(
          'Epoch 1/100 - Train Loss: 4.05, Val Loss: 3.25',
          'Epoch 2/100 - Train Loss: 3.05, Val Loss: 3.15',
          'Epoch 3/100 - Train Loss: 2.05, Val Loss: 3.05',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss'), { step: [1, 2, 3], value: [4.05, 3.05, 2.05] });
    assert.deepEqual(pts(run, 'val/loss'), { step: [1, 2, 3], value: [3.25, 3.15, 3.05] });
  });
  test('Batch N loss X; units and percentages after numbers', async () => {
    const run = one(
      await parse(
        lines(
          'Batch 100 loss 2.3 time 120ms acc 45%',
          'Batch 200 loss 2.2 time 118ms acc 47%',
          'Batch 300 loss 2.1 time 121ms acc 49%',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss'), { step: [100, 200, 300], value: [2.3, 2.2, 2.1] });
    assert.deepEqual(pts(run, 'time').value, [120, 118, 121]);
    assert.deepEqual(pts(run, 'accuracy').value, [45, 47, 49]);
  });
  test('bare columns: N split X', async () => {
    const run = one(await parse(lines('120 train 3.41', '130 train 3.31', '140 train 3.21', '140 val 3.5')));
    assert.deepEqual(pts(run, 'train/loss'), { step: [120, 130, 140], value: [3.41, 3.31, 3.21] });
  });
  test('a whitespace table under a header line', async () => {
    const run = one(await parse(lines('step loss lr', '10 3.5 0.001', '20 3.1 0.002', '30 2.9 0.003')));
    assert.deepEqual(pts(run, 'train/loss'), { step: [10, 20, 30], value: [3.5, 3.1, 2.9] });
    assert.deepEqual(pts(run, 'lr').value, [0.001, 0.002, 0.003]);
  });
});

describe('pattern 3: step keys and axes', () => {
  test('Epoch [e/E], Step [s/S]: the per-epoch step is made global with the epoch', async () => {
    const run = one(
      await parse(
        lines(
          'Epoch [1/2], Step [100/200], Loss: 2.3145',
          'Epoch [1/2], Step [200/200], Loss: 2.1',
          'Epoch [2/2], Step [100/200], Loss: 2.0',
          'Epoch [2/2], Step [200/200], Loss: 1.9',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss'), { step: [100, 200, 300, 400], value: [2.3145, 2.1, 2, 1.9] });
  });
  test('[outer : inner] counters without keys: the inner restarts when the outer moves on', async () => {
    const run = one(
      await parse(
        lines(
          '[0 :   100] loss G : 5.0 loss D : 9.0',
          '[0 :   200] loss G : 4.0 loss D : 8.0',
          '[1 :   100] loss G : 3.0 loss D : 7.0',
          '[1 :   200] loss G : 2.0 loss D : 6.0',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'loss G'), { step: [100, 200, 300, 400], value: [5, 4, 3, 2] });
  });
  test('global_step wins over epoch; fractional epochs are kept as a series', async () => {
    const run = one(
      await parse(
        lines(
          'epoch 0.25 global_step 10 loss 3',
          'epoch 0.5 global_step 20 loss 2.5',
          'epoch 0.75 global_step 30 loss 2.2',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').step, [10, 20, 30]);
    assert.deepEqual(pts(run, 'epoch').value, [0.25, 0.5, 0.75]);
  });
  test('N/M states the planned total', async () => {
    const run = one(await parse(lines('it 1/500 loss=3', 'it 2/500 loss=2', 'it 3/500 loss=1')));
    assert.equal(run.meta.totalSteps?.value, 500);
  });
  test('tqdm counters with a postfix loss', async () => {
    const bar = (n: number, l: string) =>
      `train:  ${n}0%|${'█'.repeat(n)}${' '.repeat(10 - n)}| ${n}/10 [00:0${n}<00:05,  1.00it/s, loss=${l}]`;
    const run = one(await parse(lines(bar(1, '3.1'), bar(2, '2.9'), bar(3, '2.7'), bar(4, '2.6'))));
    assert.deepEqual(pts(run, 'train/loss'), { step: [1, 2, 3, 4], value: [3.1, 2.9, 2.7, 2.6] });
  });
  test('no step at all: record order, and a diagnostic says so', async () => {
    const r = await parse(lines('train loss: 3.0', 'train loss: 2.5', 'train loss: 2.25'));
    const run = one(r);
    assert.deepEqual(pts(run, 'train/loss'), { step: [1, 2, 3], value: [3, 2.5, 2.25] });
    assert.ok(r.diagnostics.some((d) => /record order/.test(d.message)));
  });
  test('batch=64 in a config line is a batch size, not a step', async () => {
    const run = one(
      await parse(
        lines(
          'config: lr=3e-4 batch=64',
          'step=10 loss=5.9 lr=3e-05',
          'step=20 loss=5.1 lr=6e-05',
          'step=30 loss=4.7 lr=9e-05',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'lr').step, [10, 20, 30]);
  });
});

describe('naming and splits', () => {
  test('a split word standing alone qualifies the keys of its line', async () => {
    const run = one(
      await parse(
        lines(
          'Epoch 1 Training - Loss: 1.2, Acc: 0.5',
          'Epoch 1 Validation - Loss: 1.5, Acc: 0.4',
          'Epoch 2 Training - Loss: 1.1, Acc: 0.6',
          'Epoch 2 Validation - Loss: 1.4, Acc: 0.45',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss'), { step: [1, 2], value: [1.2, 1.1] });
    assert.deepEqual(pts(run, 'val/loss'), { step: [1, 2], value: [1.5, 1.4] });
  });
  test('Dev Loss is validation, never folded into the training loss', async () => {
    const run = one(
      await parse(
        lines(
          'Iter: 0 | Train Loss: 9.1 | Dev Loss: 9.5',
          'Iter: 100 | Train Loss: 5.1 | Dev Loss: 5.5',
          'Iter: 200 | Train Loss: 4.1 | Dev Loss: 4.5',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').value, [9.1, 5.1, 4.1]);
    assert.deepEqual(pts(run, 'val/loss').value, [9.5, 5.5, 4.5]);
  });
  test('an epoch printed on many lines with no counter inside is not the step: record order', async () => {
    const r = await parse(
      lines(
        'Epoch 1 Loss 4.17 Accuracy 0.0',
        'Epoch 1 Loss 4.24 Accuracy 0.0',
        'Epoch 1 Loss 4.45 Accuracy 0.1',
        'Epoch 2 Loss 3.9 Accuracy 0.2',
        'Epoch 2 Loss 3.8 Accuracy 0.2',
      ),
    );
    assert.deepEqual(pts(one(r), 'train/loss'), { step: [1, 2, 3, 4, 5], value: [4.17, 4.24, 4.45, 3.9, 3.8] });
  });
  test('lines under Training / Eval headers are different series', async () => {
    const run = one(
      await parse(
        lines(
          'Training epoch: 0',
          '\tmean_loss: 3.0',
          'Training epoch: 1',
          '\tmean_loss: 2.5',
          'Eval epoch: 1',
          '\tmean_loss: 2.8',
          'Training epoch: 2',
          '\tmean_loss: 2.2',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'mean_loss'), { step: [0, 1, 2], value: [3, 2.5, 2.2] });
    assert.deepEqual(pts(run, 'eval mean_loss'), { step: [1], value: [2.8] });
  });
  test('a step key must be an integer: "after inner updates: 234.5" is a value', async () => {
    const run = one(
      await parse(
        lines(
          'Meta epoch 0...',
          'Meta batch loss: 234.5',
          'Average inner loss after inner updates : 234.1',
          'Meta epoch 1...',
          'Meta batch loss: 230.5',
          'Average inner loss after inner updates : 229.1',
          'Meta epoch 2...',
          'Meta batch loss: 228.5',
          'Average inner loss after inner updates : 227.1',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss'), { step: [0, 1, 2], value: [234.5, 230.5, 228.5] });
  });
});

describe('pattern 4: multi-line records', () => {
  test('an Epoch header followed by indented metric lines', async () => {
    const run = one(
      await parse(
        lines(
          'Epoch 1',
          '  loss: 2.1',
          '  val_loss: 2.5',
          'Epoch 2',
          '  loss: 1.9',
          '  val_loss: 2.4',
          'Epoch 3',
          '  loss: 1.8',
          '  val_loss: 2.3',
        ),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss'), { step: [1, 2, 3], value: [2.1, 1.9, 1.8] });
    assert.deepEqual(pts(run, 'val/loss'), { step: [1, 2, 3], value: [2.5, 2.4, 2.3] });
  });
});

describe('pattern 5: long preambles', () => {
  test('2 MB of warnings before the first metric line of a known format', async () => {
    const pre =
      'warning: something odd happened in module x, see https://example.org for details ' + 'x'.repeat(40) + '\n';
    const body =
      Array.from(
        { length: 50 },
        (_, i) => `step:${i + 1}/50 train_loss:${(5 - i * 0.01).toFixed(4)} train_time:${i}ms step_avg:1.00ms`,
      ).join('\n') + '\n';
    const run = one(await parse(pre.repeat(Math.ceil(2e6 / pre.length)) + body));
    assert.equal(run.format, 'modded-nanogpt');
    assert.equal(pts(run, 'train/loss').step.length, 50);
  });
  test('the same for the general reader', async () => {
    const pre = 'Traceback (most recent call last): File "a.py", line 12, in <module>\n';
    const body =
      Array.from({ length: 30 }, (_, i) => `| step ${i * 10} | loss ${(5 - i * 0.1).toFixed(2)} |`).join('\n') + '\n';
    const run = one(await parse(pre.repeat(Math.ceil(1e6 / pre.length)) + body));
    assert.equal(run.format, 'generic-text');
    assert.equal(pts(run, 'train/loss').step.length, 30);
  });
});

describe('pattern 6: restarts and resumes', () => {
  test('steps jump back: every attempt read, last write per step wins, reported', async () => {
    const r = await parse(
      lines(
        'step 1 loss 3',
        'step 2 loss 2.5',
        'step 3 loss 2.2',
        'resuming from checkpoint',
        'step 2 loss 2.4',
        'step 3 loss 2.1',
        'step 4 loss 2.0',
      ),
    );
    const run = one(r);
    assert.deepEqual(pts(run, 'train/loss'), { step: [1, 2, 3, 4], value: [3, 2.4, 2.1, 2] });
    const d = r.diagnostics.find((x) => /goes back/.test(x.message));
    assert.ok(d);
    assert.equal(d!.line, 5);
  });
});

describe('pattern 7: bytes', () => {
  const plain = lines('step=1 loss=2.0', 'step=2 loss=1.5', 'step=3 loss=1.0');
  const expected = { step: [1, 2, 3], value: [2, 1.5, 1] };
  test('CRLF, ANSI colours, NUL padding give the same series as plain text', async () => {
    assert.deepEqual(pts(one(await parse(plain)), 'train/loss'), expected);
    assert.deepEqual(pts(one(await parse(plain.replace(/\n/g, '\r\n'))), 'train/loss'), expected);
    assert.deepEqual(pts(one(await parse(plain.replace(/loss/g, '\x1b[1mloss\x1b[0m'))), 'train/loss'), expected);
    assert.deepEqual(
      pts(one(await parse(Buffer.concat([Buffer.from(plain), Buffer.alloc(100)]))), 'train/loss'),
      expected,
    );
    assert.deepEqual(pts(one(await parse(plain.replace(/^/gm, '\x1b[32mINFO\x1b[0m '))), 'train/loss'), expected);
  });
  test('tqdm \\r redraws glued to the metric text', async () => {
    const t =
      'epoch 1:  50%|#####     | 5/10\rstep=1 loss=2.0\nepoch 1:  60%|######    | 6/10\rstep=2 loss=1.5\nstep=3 loss=1.0\n';
    assert.deepEqual(pts(one(await parse(t)), 'train/loss'), expected);
  });
  test('byte path and string path agree; any chunking gives the same result', async () => {
    const body =
      Array.from({ length: 400 }, (_, i) =>
        i % 7 === 0
          ? `[2026-01-01 00:00:0${i % 10}] eval step ${i} val_loss ${(3 - i / 1000).toFixed(3)}`
          : `[2026-01-01 00:00:0${i % 10}] step ${i} | loss ${(4 - i / 500).toFixed(4)} | lr ${(i * 1e-6).toExponential(2)}`,
      ).join('\n') + '\n';
    const ref = await parse(body);
    const dump = (r: ParseResult) =>
      JSON.stringify(
        r.runs.map((x) =>
          Object.fromEntries(Object.entries(x.metrics).map(([k, s]) => [k, [Array.from(s.step), Array.from(s.value)]])),
        ),
      );
    // a non-ASCII line forces the string path for its piece
    const utf = await parse(body.replace('step 1 |', 'step 1 | note é |').replace(/\n/g, '\r\n'));
    assert.equal(dump(utf), dump(ref));
    for (const chunkBytes of [1, 7, 100, 4096])
      assert.equal(dump(await parseBytes('/tmp/x.log', Buffer.from(body), { chunkBytes })), dump(ref));
  });
});

describe('pattern 8: no silent drops', () => {
  test('a claimed file with no metric line says so', async () => {
    const r = await parseText('/tmp/x.log', lines('iter 5: loss 4.2, time 1ms, mfu 1%').replace('loss 4.2', 'loss'));
    assert.equal(r.runs.length, 0);
  });
  test('a specific reader that claims the file and gives no point says so', async () => {
    const r = await parseText('/tmp/x.log', lines('nothing here'), { reader: nanogptReader });
    assert.ok(r.diagnostics.some((d) => d.severity === 'warning' && /no data point/.test(d.message)));
  });
});

describe('pattern 8: a specific reader that finds nothing gives way to the general reader', () => {
  const text = lines(
    '***** Running training *****',
    'trainable params: 1,000 || all params: 2,000 || trainable%: 50.0',
    'step 1 | loss 3.0',
    'step 2 | loss 2.5',
    'step 3 | loss 2.25',
  );
  test('one-shot (parseBytes)', async () => {
    const r = await parse(text);
    const run = one(r);
    assert.equal(run.format, 'generic-text');
    assert.deepEqual(pts(run, 'train/loss'), { step: [1, 2, 3], value: [3, 2.5, 2.25] });
    assert.ok(r.diagnostics.some((d) => /read as hf-stdout, which found no data point/.test(d.message)));
  });
  test('incremental (LogFile)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-fallback-'));
    try {
      const file = path.join(dir, 'train.log');
      fs.writeFileSync(file, text);
      const r = await parseFile(file, { sidecars: false });
      const run = one(r);
      assert.equal(run.format, 'generic-text');
      assert.deepEqual(pts(run, 'train/loss').step, [1, 2, 3]);
      assert.ok(r.diagnostics.some((d) => /found no data point in it; read by the general reader/.test(d.message)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bounded memory', () => {
  test('a template above 2^20 lines merges its oldest rows pairwise, says so, and keeps the latest exact', async () => {
    const n = (1 << 20) + 300_000;
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(`step ${i} loss ${(i % 10) / 10}`);
    const r = await parse(parts.join('\n') + '\n');
    const s = one(r).metrics['train/loss'];
    assert.ok(r.diagnostics.some((d) => /averaged pairwise/.test(d.message)));
    assert.deepEqual([s.step.at(-1), s.value.at(-1)], [n - 1, ((n - 1) % 10) / 10]);
    // averaging keeps the mean: values cycle 0, 0.1, …, 0.9 (mean 0.45) over every whole block of ten lines
    let sum = 0;
    let w = 0;
    const count = s.thinned?.count;
    for (let i = 0; i < s.value.length; i++) {
      const c = count && i < count.length ? count[i] : 1;
      sum += s.value[i] * c;
      w += c;
    }
    assert.ok(Math.abs(sum / w - 0.45) < 0.01, `mean ${sum / w}`);
    assert.ok(s.step.every((x, i, a) => i === 0 || x > a[i - 1]));
  });

  test('a column whose rows a series took (lent) compacts into a new array: the rows handed out stay as they were', () => {
    const fill = (c: Column) => {
      for (let i = 0; i < 40; i++) c.push(i);
    };
    const inPlace = new Column();
    fill(inPlace);
    inPlace.compact(20, true);
    const lent = new Column();
    fill(lent);
    const rows = lent.data.subarray(0, lent.n);
    lent.lent = true;
    lent.compact(20, true);
    assert.deepEqual(
      [...rows],
      Array.from({ length: 40 }, (_, i) => i),
      'the lent rows are untouched',
    );
    assert.deepEqual([...lent.data.subarray(0, lent.n)], [...inPlace.data.subarray(0, inPlace.n)]);
    assert.equal(lent.n, 30);
    assert.equal(lent.lent, false);
  });
});

describe('CLI: metrics named as the log wrote them', () => {
  test('--y loss finds a CSV column "Loss" stored as train/loss, case-insensitively', async () => {
    const r = await parseText('/tmp/m.csv', 'step,Loss,LR\n1,3,0.1\n2,2,0.1\n3,1.5,0.1\n');
    const run = one(r);
    assert.equal(findMetric(run, 'loss'), 'train/loss');
    assert.equal(findMetric(run, 'LOSS'), 'train/loss');
    assert.equal(findMetric(run, 'lr'), 'lr');
    assert.equal(findMetric(run, 'Train/Loss'), 'train/loss');
    assert.equal(findMetric(run, 'nope'), null);
  });
});

describe('general reader: differential and incremental', () => {
  /** Random logs from the shapes above: prefixes, key/value lines, headers, tqdm redraws, noise, restarts. */
  function randomLog(seed: number): string {
    let s = seed;
    const rnd = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    const prefix = pick([
      '',
      '[2026-03-01 10:00:00.123] ',
      'INFO:root:',
      'I0301 10:00:00.123 42 t.py:8] ',
      '\x1b[32mINFO\x1b[0m ',
      '[rank0]: ',
    ]);
    const shape = pick([
      (st: number, l: string) => `step ${st} | loss ${l} | lr 3e-4`,
      (st: number, l: string) => `[step ${st}] loss=${l} acc=0.5`,
      (st: number, l: string) => `Epoch [${1 + Math.floor(st / 10)}/9], Step [${st % 10}/10], Loss: ${l}`,
      (st: number, l: string) => `${st} train ${l}`,
      (st: number, l: string) => `iteration ${st}: Train Loss: ${l}, Val Loss: ${l}`,
    ]);
    let out = '';
    let st = 0;
    for (let n = 0; n < 60; n++) {
      const r = rnd();
      if (r < 0.1)
        out +=
          pick([
            'warning: something odd',
            'Traceback (most recent call last):',
            '  File "x.py", line 3, in f',
            'résumé: ünïcode line',
            '',
          ]) + '\n';
      else if (r < 0.15) out += `${prefix}train: ${Math.floor(rnd() * 100)}%|███  | ${st}/100 [00:01<00:02]\r`;
      else if (r < 0.18)
        st = Math.max(0, st - 5); // a restart
      else out += prefix + shape(st++, (5 - st / 30 + rnd() / 10).toFixed(4)) + '\n';
    }
    return out;
  }
  const dump = (r: ParseResult) =>
    JSON.stringify(
      r.runs.map((x) => [
        x.format,
        Object.fromEntries(
          Object.entries(x.metrics)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([k, s]) => [k, [Array.from(s.step), Array.from(s.value)]]),
        ),
      ]),
    );

  test('bytes path, string path, CRLF and any chunking give the same runs (300 random logs)', async () => {
    let withRun = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const text = randomLog(seed);
      const first = await parse(text);
      if (first.runs.length) withRun++;
      const ref = dump(first);
      assert.equal(dump(await parse(text.replace(/\n/g, '\r\n'))), ref, `CRLF, seed ${seed}`);
      assert.equal(
        dump(await parseBytes('/tmp/x.log', Buffer.from(text), { chunkBytes: 1 + (seed % 37) })),
        ref,
        `chunks, seed ${seed}`,
      );
      // the string path: every line through LineParser.line (as when a piece is not valid UTF-8)
      const reader = inferredReader;
      const p = reader.create('/tmp/x.log');
      const byString = reader.create('/tmp/x.log');

      const f = new LineFeeder('/tmp/x.log', p);
      f.push(Buffer.from(text));
      f.flush();
      let lineNo = 0;
      for (const line of text.split('\n')) {
        lineNo++;
        for (const seg of line.split('\r')) if (seg.length || !line.includes('\r')) byString.line(seg, lineNo);
      }
      assert.equal(dump(byString.result()), dump(p.result()), `string vs bytes, seed ${seed}`);
    }
    assert.ok(withRun >= 280, `only ${withRun} of 300 random logs gave a run`);
  });

  test('results asked for after every append equal the one-shot parse (series extended in place)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-inferred-'));
    try {
      const file = path.join(dir, 'train.log');
      fs.writeFileSync(file, '');
      const lf = new LogFile(file, { sidecars: false });
      let all = '';
      let lastRun: Run | undefined;
      for (let st = 0; st < 400; st++) {
        const line =
          (st % 50 === 0 ? `eval step ${st} | val_loss ${(3 - st / 1000).toFixed(3)}\n` : '') +
          `step ${st} | loss ${(4 - st / 500).toFixed(4)} | lr 3e-4\n`;
        all += line;
        fs.appendFileSync(file, line);
        if (st % 7 === 0) {
          await lf.poll();
          const r = lf.result();
          if (r.runs.length) lastRun = r.runs[0];
        }
      }
      await lf.poll();
      lf.finish();
      const inc = lf.result();
      assert.equal(dump(inc), dump(await parseText('/tmp/x.log', all)));
      assert.equal(inc.runs[0].metrics['train/loss'].step.length, 400);
      assert.ok(lastRun);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a growing file (partial lines, appends) read incrementally equals the one-shot parse', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-inferred-'));
    try {
      const file = path.join(dir, 'train.log');
      const text = randomLog(4242).repeat(3) + randomLog(77);
      fs.writeFileSync(file, '');
      const lf = new LogFile(file, { sidecars: false });
      for (let i = 0; i < text.length;) {
        const n = 1 + ((i * 7919) % 200);
        fs.appendFileSync(file, text.slice(i, i + n));
        i += n;
        await lf.poll();
        lf.result(); // results asked for while the file grows: series are extended, or rebuilt on a restart
      }
      lf.finish();
      const whole = await parseFile(file, { sidecars: false });
      assert.equal(dump(lf.result()), dump(whole));
      assert.ok(whole.runs.length === 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
