/**
 * The general reader on real logs it still read wrong after hold-out 20 (issue 14, fourth helper): synthetic lines
 * modelled on each class, small enough that the expected values are written by hand. Each case failed before its fix.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { parse, one, pts, lines } from './inferCase';

describe('an `N/M` step counter written with thousands separators (`Step 1,000/20,000`)', () => {
  // a Markdown-table-like row per logging interval: the step and its planned total both grouped by commas
  const row = (s: number, v: number) =>
    `| Step ${s.toLocaleString('en-US')}/20,000 | Epoch 0 | Loss: ${v.toFixed(4)} | LR: 2.00e-05 |`;
  test('both sides of the counter are one number each: every row is read, at its own step', async () => {
    const run = one(await parse(lines(...[500, 1000, 1500, 2000, 2500].map((s, i) => row(s, 7 - i / 2)))));
    assert.deepEqual(pts(run, 'train/loss'), { step: [500, 1000, 1500, 2000, 2500], value: [7, 6.5, 6, 5.5, 5] });
  });
});

describe('a Keras log whose first `Epoch 1/N` header is missing (the first bar line is the file’s first line)', () => {
  const bar = (v: number) => `500/500 ━━━━━━━━━━━━━━━━━━━━ 31s 62ms/step - accuracy: 0.8400 - loss: ${v.toFixed(4)}`;
  const epochs = [2, 3, 4, 5].flatMap((e) => [`Epoch ${e}/5`, bar(1 - e / 10)]);
  test('the bar lines before the first header are the epoch before it: epoch 1 is read', async () => {
    const run = one(await parse(lines(bar(0.95), ...epochs)));
    assert.deepEqual(pts(run, 'train/loss'), { step: [1, 2, 3, 4, 5], value: [0.95, 0.8, 0.7, 0.6, 0.5] });
  });
  test('a log starting at `Epoch 1/5` with a line before it keeps that line out of the epochs', async () => {
    const run = one(await parse(lines(bar(0.95), ...[1, 2, 3].flatMap((e) => [`Epoch ${e}/5`, bar(1 - e / 10)]))));
    assert.deepEqual(pts(run, 'train/loss').step, [1, 2, 3]);
  });
  test('a log cut later in its run (first header `Epoch 47/50`) keeps the lines before it out', async () => {
    const run = one(await parse(lines(bar(0.95), ...[47, 48, 49].flatMap((e) => [`Epoch ${e}/50`, bar(1 - e / 100)]))));
    assert.deepEqual(pts(run, 'train/loss').step, [47, 48, 49]);
  });
});

describe('a settings line whose step key names the plan (`training epoch: 30` among `batch size: 500`)', () => {
  const ep = (e: number) =>
    `2024-01-02 10:00:0${e % 10},000 - INFO: Epoch ${String(e).padStart(4, '0')} in model | Ave Loss: ${(8 - e / 4).toFixed(4)}`;
  test('its one value beyond the last epoch logged is the planned total', async () => {
    const r = await parse(
      lines(
        '2024-01-02 09:59:00,000 - INFO: Data size: 1000, batch size: 50, training epoch: 12.',
        ...[0, 1, 2, 3, 4].map(ep),
      ),
    );
    assert.deepEqual(pts(one(r), 'train/loss').step, [0, 1, 2, 3, 4]);
    assert.equal(one(r).meta.totalSteps?.value, 12);
  });
  test('a record’s own `training epoch` counter is no plan', async () => {
    const rec = (e: number) => `batch size: 50, training epoch: ${e}, loss: ${(3 - e / 10).toFixed(3)}`;
    const r = await parse(lines(...[1, 2, 3].map(rec)));
    assert.equal(one(r).meta.totalSteps, undefined);
  });
});

describe('a line saying the run stopped at its limit, after the last point (`max_epochs=5` reached)', () => {
  const ep = (e: number) =>
    `[12:00:0${e}] INFO   Epoch ${e}: v_loss ${(3 - e / 5).toFixed(3)}  loss ${(2 - e / 5).toFixed(3)}`;
  test('its plan is the run’s planned total', async () => {
    const run = one(
      await parse(
        lines(...[0, 1, 2, 3, 4].map(ep), '[12:00:09] INFO   `Trainer.fit` stopped: `max_epochs=5` reached.'),
      ),
    );
    assert.deepEqual(pts(run, 'train/loss').step, [0, 1, 2, 3, 4]);
    assert.equal(run.meta.totalSteps?.value, 5);
  });
  test('a setting printed after the last point without a stop (a launch that logged nothing) is still no plan', async () => {
    const run = one(await parse(lines(...[0, 1, 2, 3, 4].map(ep), '[12:00:09] INFO   relaunching with max_epochs=50')));
    assert.equal(run.meta.totalSteps, undefined);
  });
});

describe('sub-networks’ parameter counts, then `Total trainable parameters: N`', () => {
  const ep = (e: number) => `Epoch ${e}/3 - loss: ${(1 - e / 10).toFixed(4)}`;
  test('the total of the trainable parameters beats the first sub-network’s count', async () => {
    const r = await parse(
      lines(
        'Target network (Small) requires 54,321 parameters.',
        'Hyper network (Big) has 1,234,500 parameters.',
        'Total trainable parameters: 1,288,821',
        ...[1, 2, 3].map(ep),
      ),
    );
    assert.equal(one(r).meta.params?.value, 1288821);
  });
  test('a stated total of all parameters still beats it, printed before or after', async () => {
    const r = await parse(
      lines('Total trainable parameters: 4,194,304', 'Total parameters: 6,738,415,616', ...[1, 2, 3].map(ep)),
    );
    assert.equal(one(r).meta.params?.value, 6738415616);
  });
});

describe('an epoch’s closing line (`End of epoch 3 / 50 \\t Time Taken: 95.2 sec`) above its loss line', () => {
  const block = (e: number) => [
    `saving the model at the end of epoch ${e}`,
    `End of epoch ${e} / 50 \t Time Taken: ${(95 + e / 10).toFixed(4)} sec`,
    `G Loss: ${(40 - e).toFixed(4)}, D Loss: ${(9 - e / 2).toFixed(4)}`,
    'learning rate = 0.0002000',
  ];
  test('`end of epoch` keys the step, the time taken does not make the line a record: the epoch is the step', async () => {
    const run = one(await parse(lines('model created', ...[0, 1, 2, 3].flatMap(block))));
    assert.deepEqual(pts(run, 'train/loss'), { step: [0, 1, 2, 3], value: [40, 39, 38, 37] });
  });
});
