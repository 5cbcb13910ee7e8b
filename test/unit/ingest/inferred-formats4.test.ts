/**
 * The general reader on the failure classes found once the format corpus' third and fourth batches were retired
 * into dev (test/fixtures/formats: library displays — XGBoost, LightGBM, CatBoost, fastText, spaCy — and
 * deep-learning trainers' consoles): synthetic logs modelled on each class, small enough that the expected series is
 * written by hand from the text (never taken from the reader's output). Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts } from './inferCase';

/** `s` seconds as C's `%dh%2dm%2ds` (a blank pads a unit below ten), or glued without padding. */
const clock = (s: number, pad: boolean) => {
  const p = (n: number) => (pad ? String(n).padStart(2) : String(n));
  return `${Math.floor(s / 3600)}h${p(Math.floor((s % 3600) / 60))}m${p(s % 60)}s`;
};

describe('a duration written in glued units (`0h 0m50s`) is a number per unit', () => {
  const loss = [2.5, 2.25, 2.0, 1.9, 1.75, 1.6, 1.5, 1.45, 1.4, 1.3, 1.25, 1.2];
  test('padded seconds (`0m 9s` beside `0m50s`): one print statement, a point per record', async () => {
    // no step printed: record order; the time left goes 1m10s, 1m4s, … 0m4s — below ten seconds a blank pads it
    const text =
      'Training on 12 chunks\n' +
      loss.map((v, i) => `avg loss: ${v.toFixed(4)} time left: ${clock(70 - 6 * i, true)}`).join('\n') +
      '\nDone.\n';
    const s = pts(one(await parse(text)), 'train/loss');
    assert.deepEqual(s.value, loss);
    assert.deepEqual(
      s.step,
      loss.map((_, i) => i + 1),
    );
  });
  test('unpadded units glued into one word (`1h2m3s`, `1h10m30s`): a point per record', async () => {
    const text = loss.map((v, i) => `loss ${v} | elapsed ${clock(3000 + 97 * i * i, false)}`).join('\n') + '\n';
    const s = pts(one(await parse(text)), 'train/loss');
    assert.deepEqual(s.value, loss);
    assert.deepEqual(
      s.step,
      loss.map((_, i) => i + 1),
    );
  });
});

describe('the share of the work done on a line redrawn in place is its step', () => {
  test('fastText-like `\\rProgress:  45.2% … avg.loss: …` redrawn several times per share: a point per share, last draw wins', async () => {
    // draws every "100 ms": the share moves by 0.1 % every other draw or so; the loss changes at every draw
    const shares = [0.1, 0.1, 0.2, 0.2, 0.2, 0.3, 0.4, 0.4, 0.5, 0.6, 0.6, 0.7, 100.0];
    const draws = shares.map(
      (p, i) =>
        `Progress: ${p.toFixed(1).padStart(5)}% words/sec/thread: ${String(500000 + i).padStart(7)} lr:  0.09${String(99 - i).padStart(4, '0')} avg.loss:  ${(3 - 0.1 * i).toFixed(6)} ETA:   0h 0m${String(50 - i).padStart(2)}s`,
    );
    const text = 'Read 3M words\nNumber of words:  12345\nNumber of labels: 7\n\r' + draws.join('\r') + '\n';
    const s = pts(one(await parse(text)), 'avg.loss');
    // the last draw of each share: draws 1, 4, 5, 7, 8, 10, 11, 12 (0-based)
    assert.deepEqual(s.step, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 100]);
    assert.deepEqual(
      s.value,
      [1, 4, 5, 7, 8, 10, 11, 12].map((i) => Number((3 - 0.1 * i).toFixed(6))),
    );
  });
  test('a whole-percent share in brackets before a `loss=` (`[ 45%] loss=0.41`), three draws per share', async () => {
    const d: string[] = [];
    for (let p = 0; p <= 100; p += 25)
      for (let r = 0; r < 3; r++) d.push(`[${String(p).padStart(3)}%] loss=${(2 - p / 100 - r / 1000).toFixed(3)}`);
    const text = 'epoch 1\n' + d.join('\r') + '\n';
    const s = pts(one(await parse(text)), 'train/loss');
    assert.deepEqual(s.step, [0, 25, 50, 75, 100]);
    assert.deepEqual(
      s.value,
      [0, 25, 50, 75, 100].map((p) => Number((2 - p / 100 - 2 / 1000).toFixed(3))),
    );
  });
});

/** A boosting metric that decays round by round (written with 5 decimals, as XGBoost's `{score:.5f}`). */
const boost = (r: number, a: number) => Number((a * (0.5 + 0.5 * Math.exp(-r / 6))).toFixed(5));

describe("a possessive `'s` belongs to the word before it (`training's binary_logloss`)", () => {
  test("LightGBM-like `[i]\\ttraining's binary_logloss: v`: the key keeps the set's name", async () => {
    const text =
      Array.from({ length: 10 }, (_, i) => `[${i + 1}]\ttraining's binary_logloss: ${boost(i, 0.7)}`).join('\n') + '\n';
    const run = one(await parse(text));
    const key = Object.keys(run.metrics).find((k) => /logloss/.test(run.metrics[k].originalName));
    assert.equal(key && run.metrics[key].originalName, "training's binary_logloss");
    assert.deepEqual(
      pts(run, key!).value,
      Array.from({ length: 10 }, (_, i) => boost(i, 0.7)),
    );
  });
  test("two sets, each a possessive (`train's l1: … valid's l1: …`): two series named by their sets", async () => {
    const text =
      Array.from(
        { length: 8 },
        (_, i) => `[${10 * (i + 1)}]\ttrain's l1: ${boost(i, 2)}\tvalid's l1: ${boost(i, 3)}`,
      ).join('\n') + '\n';
    const run = one(await parse(text));
    const origs = Object.keys(run.metrics).map((k) => run.metrics[k].originalName);
    assert.ok(origs.includes("train's l1") && origs.includes("valid's l1"), origs.join(', '));
  });
});

describe('a record of evaluation sets alone, no loss named: the first set’s first measure is the loss-like series', () => {
  test('XGBoost-like `[r]\\tvalidation_0-rmse:…\\tvalidation_1-rmse:…`: validation_0-rmse is train/loss', async () => {
    const text =
      'Loaded 3000 training samples\n' +
      Array.from(
        { length: 12 },
        (_, r) => `[${r}]\tvalidation_0-rmse:${boost(r, 12).toFixed(5)}\tvalidation_1-rmse:${boost(r, 15).toFixed(5)}`,
      ).join('\n') +
      '\n';
    const run = one(await parse(text));
    const s = pts(run, 'train/loss');
    assert.equal(run.metrics['train/loss']?.originalName, 'validation_0-rmse');
    assert.deepEqual(
      s.step,
      Array.from({ length: 12 }, (_, r) => r),
    );
    assert.deepEqual(
      s.value,
      Array.from({ length: 12 }, (_, r) => boost(r, 12)),
    );
  });
  test("LightGBM-like `[i]\\tvalid_0's auc: …\\tvalid_0's l2: …`: a score is skipped, the first set's l2 is train/loss", async () => {
    const text =
      Array.from(
        { length: 9 },
        (_, i) => `[${i + 1}]\tvalid_0's auc: ${(0.7 + 0.01 * i).toFixed(6)}\tvalid_0's l2: ${boost(i, 4)}`,
      ).join('\n') + '\n';
    const run = one(await parse(text));
    assert.equal(run.metrics['train/loss']?.originalName, "valid_0's l2");
    assert.deepEqual(
      pts(run, 'train/loss').value,
      Array.from({ length: 9 }, (_, i) => boost(i, 4)),
    );
  });
});

describe('a value written with a unit of time is a time, whatever its key (`total: 1.01s`)', () => {
  test('CatBoost-like `N:\\tlearn: v\\ttotal: 1.01s\\tremaining: 8.9s`: learn is train/loss, not the time', async () => {
    const text =
      Array.from(
        { length: 10 },
        (_, i) =>
          `${i}:\tlearn: ${(0.67 - 0.01 * i).toFixed(7)}\ttotal: ${(1.5 + 0.1 * i).toFixed(2)}s\tremaining: ${(9 - 0.1 * i).toFixed(2)}s`,
      ).join('\n') + '\n';
    const run = one(await parse(text));
    assert.equal(run.metrics['train/loss']?.originalName, 'learn');
    assert.deepEqual(
      pts(run, 'train/loss').value,
      Array.from({ length: 10 }, (_, i) => Number((0.67 - 0.01 * i).toFixed(7))),
    );
  });
  test('`epoch E | total 12ms | value v` (a total written in milliseconds, with a fraction): value is train/loss', async () => {
    const text =
      Array.from(
        { length: 6 },
        (_, i) => `epoch ${i + 1} | total ${(12 + 0.5 * i).toFixed(1)}ms | value ${(2 - 0.1 * i).toFixed(3)}`,
      ).join('\n') + '\n';
    const run = one(await parse(text));
    assert.equal(run.metrics['train/loss']?.originalName, 'value');
    assert.deepEqual(pts(run, 'train/loss').step, [1, 2, 3, 4, 5, 6]);
  });
});

/** A row of a fixed-width table: cells right-aligned to `widths`, two blanks apart (wasabi's `row`). */
const row = (cells: (string | number)[], widths: number[]) =>
  cells.map((c, i) => String(c).padStart(widths[i])).join('  ');

describe('a fixed-width header whose names hold a blank (`LOSS TOK2VEC  LOSS NER`) names its columns', () => {
  test('spaCy-like `E  #  LOSS TOK2VEC  LOSS NER  ENTS_F  SCORE` table: each loss column a series of its own', async () => {
    const w = [3, 6, 12, 8, 6, 6];
    const lines = [
      "ℹ Pipeline: ['tok2vec', 'ner']",
      'E    #       LOSS TOK2VEC  LOSS NER  ENTS_F  SCORE ',
      '---  ------  ------------  --------  ------  ------',
    ];
    const ner: number[] = [];
    for (let i = 0; i < 8; i++) {
      ner.push(Number((3000 - 200 * i + 0.25).toFixed(2)));
      lines.push(
        row(
          [i >> 1, 200 * i, (80 - 3 * i).toFixed(2), ner[i].toFixed(2), (3 * i).toFixed(2), (0.03 * i).toFixed(2)],
          w,
        ),
      );
    }
    const run = one(await parse(lines.join('\n') + '\n'));
    const key = Object.keys(run.metrics).find((k) => run.metrics[k].originalName === 'LOSS NER');
    assert.ok(key, `series: ${Object.keys(run.metrics).join(', ')}`);
    assert.deepEqual(pts(run, key).value, ner);
  });
  test('`epoch  train loss  val loss` over rows of three numbers: train loss and val loss', async () => {
    const w = [5, 10, 8];
    const lines = ['epoch  train loss  val loss'];
    for (let e = 1; e <= 6; e++) lines.push(row([e, (2.5 - 0.2 * e).toFixed(4), (2.7 - 0.15 * e).toFixed(4)], w));
    const run = one(await parse(lines.join('\n') + '\n'));
    assert.equal(run.metrics['train/loss']?.originalName, 'train loss');
    assert.deepEqual(pts(run, 'train/loss').step, [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(
      pts(run, 'val/loss').value,
      [1, 2, 3, 4, 5, 6].map((e) => Number((2.7 - 0.15 * e).toFixed(4))),
    );
  });
});

describe('a table column named `#` counts the steps', () => {
  test('spaCy-like `E  #  LOSS NER …`, the epoch moving on at every row: `#` is the step', async () => {
    const w = [3, 6, 8, 6];
    const lines = ['E    #       LOSS NER  SCORE ', '---  ------  --------  ------'];
    for (let i = 0; i < 7; i++) lines.push(row([i, 200 * i, (900 - 100 * i).toFixed(2), (0.1 * i).toFixed(2)], w));
    const s = pts(one(await parse(lines.join('\n') + '\n')), 'LOSS NER');
    assert.deepEqual(s.step, [0, 200, 400, 600, 800, 1000, 1200]);
  });
  test('`ep  #  train loss` (a named epoch before it): `#` is the step, the epoch a series', async () => {
    const w = [2, 5, 10];
    const lines = ['ep  #      train loss'];
    for (let i = 1; i <= 6; i++) lines.push(row([i, 50 * i, (1.5 - 0.1 * i).toFixed(4)], w));
    const s = pts(one(await parse(lines.join('\n') + '\n')), 'train/loss');
    assert.deepEqual(s.step, [50, 100, 150, 200, 250, 300]);
  });
});

/** A loss for epoch `e` (1-based), step `n`: printed with 4 decimals. */
const lossAt = (e: number, n: number) => Number((3 / (1 + 0.01 * ((e - 1) * 60 + n))).toFixed(4));

/**
 * A PaddlePaddle-hapi-like `Model.fit` display: `Epoch e/E`, then a draw every 10 steps (`step 20/60 - loss: … - ETA: 4s
 * - 32ms/step`), the last (`step 60/60 - loss: … - 32ms/step`, no ETA) completing the loop; drawn over each other with
 * `\r` (verbose 1; its bar and backspaces left out) or a line each.
 */
function paddleFit(epochs: number, M: number, newlines: boolean): string {
  let text = '';
  for (let e = 1; e <= epochs; e++) {
    text += `Epoch ${e}/${epochs}\n`;
    const draws: string[] = [];
    for (let n = 10; n <= M; n += 10) {
      const eta = n < M ? ` - ETA: ${Math.round((M - n) * 0.032)}s` : '';
      draws.push(`step ${String(n).padStart(2)}/${M} - loss: ${lossAt(e, n).toFixed(4)}${eta} - 32ms/step`);
    }
    text += newlines ? draws.join('\n') + '\n' : '\r' + draws.join('\r') + '\n';
  }
  return text;
}

describe('an `N/M` counter keyed by a step word (`step 20/60 … - ETA: 4s`) is a step of its own, not a draft', () => {
  const want = (epochs: number, M: number) => {
    const step: number[] = [];
    const value: number[] = [];
    for (let e = 1; e <= epochs; e++)
      for (let n = 10; n <= M; n += 10) {
        step.push((e - 1) * M + n);
        value.push(lossAt(e, n));
      }
    return { step, value };
  };
  test('Paddle-like verbose-1 redraws (`\\r`), 3 epochs of 60: every drawn step is a point', async () => {
    const s = pts(one(await parse(paddleFit(3, 60, false))), 'train/loss');
    assert.deepEqual(s, want(3, 60));
  });
  test('the same display written a line per draw, 2 epochs of 40: every drawn step is a point', async () => {
    const s = pts(one(await parse(paddleFit(2, 40, true))), 'train/loss');
    assert.deepEqual(s, want(2, 40));
  });
});

describe('a line completing its loop under each header (`step 60/60`, N = M) is that loop’s last step', () => {
  test('`Epoch e/4` headers, `iter n/60 … eta …` lines, the last `iter 60/60 … time …`: header × 60 + 60', async () => {
    let text = '';
    const step: number[] = [];
    for (let e = 1; e <= 4; e++) {
      text += `Epoch ${e}/4\n`;
      for (let n = 20; n < 60; n += 20) text += `iter ${n}/60 loss ${lossAt(e, n)} eta ${60 - n}s\n`;
      text += `iter 60/60 loss ${lossAt(e, 60)} time 12s\n`;
      step.push((e - 1) * 60 + 20, (e - 1) * 60 + 40, e * 60);
    }
    const s = pts(one(await parse(text)), 'train/loss');
    assert.deepEqual(s.step, step);
    assert.equal(s.value[s.value.length - 1], lossAt(4, 60));
  });
  test('two epochs only (`Epoch 1/2`, `Epoch 2/2`), the completing line a template of its own: 2 × its M', async () => {
    let text = '';
    for (let e = 1; e <= 2; e++) {
      text += `Epoch ${e}/2\n`;
      for (let n = 25; n < 100; n += 25) text += `step ${n}/100 - loss: ${lossAt(e, n)} - ETA: ${100 - n}s\n`;
      text += `step 100/100 - loss: ${lossAt(e, 100)} - 3s\n`;
    }
    const s = pts(one(await parse(text)), 'train/loss');
    assert.deepEqual(s.step, [25, 50, 75, 100, 125, 150, 175, 200]);
  });
});
