/**
 * Keras-style progress output across cross-validation folds, and ASCII bars at different fills (issue 14; hold-out 7's
 * 10-fold Keras log was read as 16,345 draft points, hold-out 16's `[Training] 3/10 [====>…]` bars as one template per
 * fill). Each fold prints its completed epoch lines `N/N [====] - … - loss: …` with its own sample count N, and the
 * drafts before them (`128/N [>…] - ETA: 3s - loss: …`, running means) are no points; an ASCII bar is one token
 * whatever its fill. Synthetic lines; the fold cases failed before the change.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, pts, lines } from './inferCase';
import { tokenize, Shape } from '../../../src/ingest/infer/tokenize';

const hashOf = (s: string) => {
  const b = Buffer.from(s);
  const sh = new Shape();
  tokenize(b, 0, b.length, sh);
  return sh.hash;
};

describe('Keras fit output of several folds, each with its own sample count', () => {
  const bar = (n: number, of: number) => {
    const w = Math.round((30 * n) / of);
    return n === of ? '='.repeat(30) : `${'='.repeat(Math.max(0, w - 1))}>${'.'.repeat(30 - Math.max(1, w))}`;
  };
  const fold = (f: number, total: number, eol: string) => {
    const out: string[] = [];
    for (let e = 1; e <= 3; e++) {
      out.push(`Epoch ${e}/3`);
      // (a later fold's first draft states its ETA in minutes: a template of its own, as in the real log)
      const eta = (n: number) => (f > 1 && e === 1 && n === 128 ? `1:0${f}` : `${4 - e}s`);
      const drafts = [128, 256, 384].map(
        (n) => `${String(n).padStart(4)}/${total} [${bar(n, total)}] - ETA: ${eta(n)} - loss: ${(9 - e).toFixed(4)}`,
      );
      const done = `${total}/${total} [${bar(total, total)}] - 4s 528us/step - loss: ${(f + 1 / e).toFixed(4)} - acc: 0.5 - val_loss: 2.0 - val_acc: 0.4`;
      if (eol === '\r') out.push(drafts.join('\r') + '\r' + done);
      else out.push(...drafts, done);
    }
    return out;
  };
  for (const [name, eol] of [
    ['each draft on a line of its own', '\n'],
    ['drafts redrawn with carriage returns', '\r'],
  ] as const)
    test(name, async () => {
      const totals = [960, 944, 952];
      const text = lines(...totals.flatMap((n, i) => [`Fold ${i + 1}`, ...fold(i + 1, n, eol)]));
      const r = await parse(text, 'keras.log');
      assert.equal(r.runs.length, 3, r.diagnostics.map((d) => d.message).join(' | '));
      r.runs.forEach((run, i) =>
        assert.deepEqual(pts(run, 'train/loss'), {
          step: [1, 2, 3],
          value: [1, 2, 3].map((e) => +(i + 1 + 1 / e).toFixed(4)),
        }),
      );
    });
});

describe('an ASCII progress bar is one token whatever its fill', () => {
  test('Keras-like and hash bars at different fills share a template', () => {
    const a = hashOf('[Training] 1/10 [==>...........................] - ETA: 3:25  loss: 2.1792');
    const b = hashOf('[Training] 4/10 [===========>..................] - ETA: 1:58  loss: 2.1629');
    const c = hashOf('[Training] 0/10 [..............................] - ETA: 4:00  loss: 2.2');
    assert.equal(a, b);
    assert.equal(a, c);
    assert.equal(
      hashOf('Training [===        ] 8.5% 5000/58874 | loss=3.9'),
      hashOf('Training [=======    ] 17% 10000/58874 | loss=3.7'),
    );
  });
  test('bracketed text and short runs stay literal', () => {
    assert.notEqual(hashOf('[train] step 3 loss 2.0'), hashOf('[valid] step 3 loss 2.0'));
    assert.notEqual(hashOf('x [..] 3'), hashOf('x [==] 3'));
  });
  test('bars of different fills give one series with the counter as the step', async () => {
    const row = (k: number) =>
      `Training [${'='.repeat(k)}${' '.repeat(40 - k)}] ${((k / 40) * 100).toFixed(1)}% ${k * 500}/20000 | 4.6 it/s | loss=${(5 - k / 10).toFixed(3)}`;
    const r = await parse(lines(...[4, 8, 12, 16].map(row)), 'bar.log');
    assert.deepEqual(pts(r.runs[0], 'train/loss'), { step: [2000, 4000, 6000, 8000], value: [4.6, 4.2, 3.8, 3.4] });
  });
});

describe('a loop over models whose trainings state different totals', () => {
  // (hold-out 16's feature-set study: `[1/6] Training loss: … Validation loss: …` for a linear model, then
  // `[5/30] …` every 5th epoch for an LSTM, per feature set; read before as a 6-epoch and a 30-epoch loop)
  test('each model of each feature set is a run of its own', async () => {
    const model = (name: string, of: number, every: number, base: number) => [
      `model: ${name}`,
      ...Array.from({ length: of / every }, (_, i) => (i + 1) * every).map(
        (e) => `[${e}/${of}] Training loss: ${(base - e / 100).toFixed(4)}\t Validation loss: ${(base + 1).toFixed(4)}`,
      ),
      `smape score:  ${base * 2}`,
    ];
    const set = (k: number) => [
      '------------------------------',
      `FEATURES ${k}`,
      ...model('nn.Linear', 6, 1, 20 + k),
      ...model('LSTM', 30, 5, 10 + k),
    ];
    const r = await parse(lines(...set(1), ...set(2)), 'models.log');
    assert.equal(r.runs.length, 4, r.diagnostics.map((d) => d.message).join(' | '));
    assert.deepEqual(
      r.runs.map((run) => pts(run, 'train/loss').step),
      [
        [1, 2, 3, 4, 5, 6],
        [5, 10, 15, 20, 25, 30],
        [1, 2, 3, 4, 5, 6],
        [5, 10, 15, 20, 25, 30],
      ],
    );
    assert.deepEqual(pts(r.runs[3], 'train/loss').value, [11.95, 11.9, 11.85, 11.8, 11.75, 11.7]);
  });
});

describe('trainings whose epoch counter reached its stated total (YOLOX `epoch: 3/3, iter: 10/14, … total_loss: …`)', () => {
  const row = (e: number, of: number, i: number, per: number, v: number) =>
    `2023-01-13 18:48:45.259 | INFO     | yolox.core.trainer:after_iter:253 - epoch: ${e}/${of}, iter: ${i}/${per}, mem: 4605Mb, total_loss: ${v.toFixed(1)}, iou_loss: 2.0, lr: 1e-3`;
  const done =
    '2023-01-13 18:58:45.259 | INFO     | yolox.core.trainer:after_train:195 - Training of experiment is done';
  test('a training finished at epoch 3/3 and the next one from epoch 1 are two runs', async () => {
    const r = await parse(
      lines(
        ...[1, 2, 3].flatMap((e) => [row(e, 3, 10, 25, 9 - e), row(e, 3, 20, 25, 8.5 - e)]),
        done,
        ...[1, 2, 3].map((e) => row(e, 3, 10, 14, 5 - e)),
        done,
      ),
      'yolox.log',
    );
    assert.equal(r.runs.length, 2, r.diagnostics.map((d) => d.message).join(' | '));
    assert.deepEqual(pts(r.runs[0], 'total_loss').value, [8, 7.5, 7, 6.5, 6, 5.5]);
    assert.deepEqual(pts(r.runs[1], 'total_loss').value, [4, 3, 2]);
  });
  test('an attempt that stopped at epoch 2/300 and the relaunch from epoch 1 are one run', async () => {
    const r = await parse(
      lines(
        ...[1, 2].map((e) => row(e, 300, 10, 47, 9 - e)),
        done,
        ...[1, 2, 3].map((e) => row(e, 300, 10, 47, 5 - e)),
      ),
      'yolox.log',
    );
    assert.equal(r.runs.length, 1);
    assert.deepEqual(pts(r.runs[0], 'total_loss').value, [4, 3, 2]);
  });
});
