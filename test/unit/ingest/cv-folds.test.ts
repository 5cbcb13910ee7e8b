/**
 * Cross-validation logs (issue 14; hold-out 15's 5-fold log was read as one run with a `Fold` series): each fold is a
 * training that ends (early stopping, or a line saying it finished) before the next starts from epoch 1 again, and
 * a final training is often printed by another statement. Each fold and the final training is a run of its own, the
 * fold index is not a series, and `tr_loss` is the training loss. Synthetic lines in two variants; each case failed
 * before the change.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, pts, lines } from './inferCase';

const ids = (r: { runs: { id: string }[] }) => r.runs.map((run) => run.id.replace('/tmp/cv.log', ''));

describe('folds of a cross-validation, then a final training printed by another statement', () => {
  const variants: [string, (f: number, e: number, v: string) => string, (f: number) => string][] = [
    [
      '[Fold F Ep E] tr_loss=V … / Early stopping at epoch E',
      (f, e, v) => `  [Fold ${f} Ep 00${e}] tr_loss=${v} tr_auc=0.5 | val_auc=0.6 | 2.1s`,
      (f) => `  Early stopping at epoch 3 (fold ${f})`,
    ],
    [
      'fold=F epoch=E train_loss=V / Training complete',
      (f, e, v) => `fold=${f} epoch=${e} train_loss=${v} val_acc=0.7`,
      () => 'Training complete.',
    ],
  ];
  for (const [name, row, end] of variants)
    test(name, async () => {
      const fold = (f: number) => [row(f, 1, `${f}.5`), row(f, 2, `${f}.25`), row(f, 3, `${f}.125`), end(f)];
      const text = lines(
        ...fold(1),
        ...fold(2),
        ...fold(3),
        'Final training on all data',
        '[Ep 001/3] loss=0.9 lr=1e-4',
        '[Ep 002/3] loss=0.8 lr=1e-4',
        '[Ep 003/3] loss=0.7 lr=1e-4',
      );
      const r = await parse(text, 'cv.log');
      assert.deepEqual(ids(r), ['#training 1', '#training 2', '#training 3', '']);
      for (const f of [1, 2, 3])
        assert.deepEqual(pts(r.runs[f - 1], 'train/loss'), { step: [1, 2, 3], value: [f + 0.5, f + 0.25, f + 0.125] });
      assert.deepEqual(pts(r.runs[3], 'train/loss'), { step: [1, 2, 3], value: [0.9, 0.8, 0.7] });
      for (const run of r.runs)
        assert.ok(
          !Object.keys(run.metrics).some((k) => /fold/i.test(k)),
          `no fold series: ${Object.keys(run.metrics)}`,
        );
    });
  test('a seed printed on every record is not a series either (`seed=1 step=… loss=…`)', async () => {
    const r = await parse(lines(...[1, 2, 3, 4].map((s) => `seed=7 step=${s * 10} loss=${5 - s}`)), 'cv.log');
    assert.deepEqual(Object.keys(r.runs[0].metrics), ['train/loss']);
  });
});
